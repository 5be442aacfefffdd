import { useState, type FormEvent } from 'react'
import { Bot, FlaskConical } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Checkbox } from '@/components/ui/checkbox'
import { Label } from '@/components/ui/label'
import { Textarea } from '@/components/ui/textarea'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { usePreview } from '../api/prompt'
import { levelName } from '../format'
import { AiActionsList } from './ai-actions-list'

type Props = {
  instanceId: string
  /** The text in the editor; offered for the test when it differs from what is saved. */
  draft?: string
  draftChanged?: boolean
}

/** "Testar assistente": a sample message answered by the prompt (or the draft); nothing is sent. */
export function PreviewPanel({ instanceId, draft, draftChanged = false }: Props) {
  const t = useT()
  const preview = usePreview(instanceId)
  const [message, setMessage] = useState('')
  const [useDraft, setUseDraft] = useState(true)
  const draftOffered = draftChanged && Boolean(draft?.trim())

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!message.trim()) return
    preview.mutate({ message: message.trim(), ...(draftOffered && useDraft ? { prompt: draft } : {}) })
  }

  const result = preview.data
  return (
    <Card data-testid="ai-preview">
      <CardHeader>
        <CardTitle className="flex items-center gap-2">
          <FlaskConical className="size-4" aria-hidden />
          {t('ai.preview.title')}
        </CardTitle>
        <CardDescription>{t('ai.preview.description')}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <form className="grid gap-3" onSubmit={submit}>
          <Textarea
            rows={3}
            maxLength={4000}
            value={message}
            onChange={(event) => setMessage(event.target.value)}
            placeholder={t('ai.preview.placeholder')}
            aria-label={t('ai.preview.message')}
            data-testid="ai-preview-input"
          />
          {draftOffered && (
            <Label className="flex items-center gap-2 font-normal">
              <Checkbox checked={useDraft} onChange={(event) => setUseDraft(event.target.checked)} data-testid="ai-preview-use-draft" />
              {t('ai.preview.useDraft')}
            </Label>
          )}
          <div>
            <Button type="submit" loading={preview.isPending} disabled={!message.trim()} data-testid="ai-preview-submit">
              {t('ai.preview.submit')}
            </Button>
          </div>
        </form>
        {preview.isError && <Alert>{errorMessage(preview.error, t)}</Alert>}
        {result && (
          <div className="grid gap-3" data-testid="ai-preview-result" data-fallback={result.fallback}>
            <div className="grid gap-1.5 rounded-lg bg-slate-50 p-3">
              {result.parts.map((part, index) => (
                <p
                  key={index}
                  className="max-w-[85%] justify-self-end rounded-lg bg-emerald-100 px-2.5 py-1.5 text-sm whitespace-pre-wrap text-slate-900 shadow-sm"
                  data-testid="ai-preview-part"
                >
                  {part}
                </p>
              ))}
            </div>
            <p className="flex flex-wrap items-center gap-1 text-xs text-slate-500">
              <Bot className="size-3.5" aria-hidden />
              {t('ai.preview.meta', { model: result.model, level: levelName(result.autonomyLevel, t) })}
            </p>
            {result.fallback && <Alert tone="info">{t('ai.preview.fallback')}</Alert>}
            {result.actions.length > 0 ? (
              <section className="grid gap-1.5">
                <h3 className="text-sm font-medium text-slate-800">{t('ai.preview.actions')}</h3>
                <AiActionsList actions={result.actions} />
              </section>
            ) : (
              <p className="text-xs text-slate-500">{t('ai.preview.noActions')}</p>
            )}
          </div>
        )}
      </CardContent>
    </Card>
  )
}
