import { useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { Search } from 'lucide-react'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Input } from '@/components/ui/input'
import { Spinner } from '@/components/ui/spinner'
import { useFormat, useLocale, useT } from '@/lib/i18n'
import { useSemanticSearch, type SearchResult } from '../api/search'
import { AiErrorAlert } from '../components/ai-error-alert'
import { sourceTypeLabel } from '../labels'

const TONE = { message: 'success', faq: 'info', knowledge: 'warning' } as const

/** "87%": how close in meaning (1 − cosine distance). */
function useScore() {
  const locale = useLocale()
  return (score: number) =>
    new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(Math.max(0, Math.min(1, score)))
}

function ResultItem({ result }: { result: SearchResult }) {
  const t = useT()
  const format = useFormat()
  const score = useScore()
  const tone = TONE[result.sourceType as keyof typeof TONE] ?? 'neutral'
  return (
    <li className="grid gap-1.5 rounded-lg border border-slate-200 bg-white p-3" data-testid="ai-search-result" data-source-type={result.sourceType}>
      <div className="flex flex-wrap items-center gap-2 text-xs">
        <Badge tone={tone} data-testid="ai-search-result-type">
          {sourceTypeLabel(result.sourceType, t)}
        </Badge>
        <span className="font-medium text-slate-700" title={t('aiSearch.scoreHint')} data-testid="ai-search-result-score">
          {t('aiSearch.score', { score: score(result.score) })}
        </span>
        <time dateTime={result.createdAt} className="text-slate-400">
          {format.dateTime(result.createdAt)}
        </time>
      </div>
      <p className="line-clamp-4 text-sm whitespace-pre-wrap text-slate-900">{result.content}</p>
      {(result.conversationId || result.contactId) && (
        <div className="flex flex-wrap gap-3 text-xs">
          {result.conversationId && (
            <Link
              to={`/inbox/${encodeURIComponent(result.conversationId)}`}
              className="font-medium text-emerald-700 hover:underline"
              data-testid="ai-search-result-conversation"
            >
              {t('aiSearch.openConversation')}
            </Link>
          )}
          {result.contactId && (
            <Link
              to={`/contacts/${encodeURIComponent(result.contactId)}`}
              className="font-medium text-emerald-700 hover:underline"
              data-testid="ai-search-result-contact"
            >
              {t('aiSearch.openContact')}
            </Link>
          )}
        </div>
      )}
    </li>
  )
}

/** Search by meaning, not by words: messages, FAQ answers and knowledge closest to the question. */
export function SemanticSearch() {
  const t = useT()
  const [input, setInput] = useState('')
  const [q, setQ] = useState('')
  const search = useSemanticSearch({ q })

  function submit(event: FormEvent) {
    event.preventDefault()
    setQ(input.trim())
  }

  const results = search.data?.results ?? []
  return (
    <Card data-testid="ai-search">
      <CardHeader>
        <CardTitle>{t('aiSearch.title')}</CardTitle>
        <CardDescription>{t('aiSearch.description')}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <form className="flex gap-2" onSubmit={submit} role="search">
          <Input
            type="search"
            value={input}
            maxLength={1000}
            onChange={(event) => setInput(event.target.value)}
            placeholder={t('aiSearch.placeholder')}
            aria-label={t('aiSearch.placeholder')}
            data-testid="ai-search-input"
          />
          <Button type="submit" disabled={input.trim() === ''} loading={search.isFetching} data-testid="ai-search-submit">
            {!search.isFetching && <Search aria-hidden />}
            {t('common.search')}
          </Button>
        </form>
        {q === '' ? null : search.isPending ? (
          <Spinner label={t('common.loading')} />
        ) : search.isError ? (
          <AiErrorAlert error={search.error} />
        ) : results.length === 0 ? (
          <p className="p-4 text-center text-sm text-slate-500" data-testid="ai-search-empty">
            {t('aiSearch.noResults')}
          </p>
        ) : (
          <>
            <ul className="grid gap-2" aria-busy={search.isPlaceholderData || undefined} data-testid="ai-search-results">
              {results.map((result) => (
                <ResultItem key={`${result.sourceType}:${result.sourceId}`} result={result} />
              ))}
            </ul>
            <p className="text-[0.7rem] text-slate-400">{t('aiSearch.model', { model: search.data.model })}</p>
          </>
        )}
      </CardContent>
    </Card>
  )
}
