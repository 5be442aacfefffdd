import type { ReactNode } from 'react'
import { ClipboardCopy, Sparkles } from 'lucide-react'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Progress } from '@/components/ui/progress'
import { offerDraft } from '@/features/inbox/api/draft-store'
import { useFormat, useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { useAnalyzeConversation, type ConversationAnalysis } from '../api/analysis'
import { latestAnalysis, sentimentLabel, urgencyLabel } from '../labels'
import { AiErrorAlert } from './ai-error-alert'

type Tone = 'neutral' | 'success' | 'warning' | 'danger' | 'info'
const SENTIMENT_TONE: Record<string, Tone> = { positive: 'success', neutral: 'neutral', negative: 'danger', mixed: 'warning' }
const URGENCY_TONE: Record<string, Tone> = { low: 'neutral', medium: 'info', high: 'warning', critical: 'danger' }
const toneOf = (tones: Record<string, Tone>, value: string): Tone => tones[value] ?? 'neutral'

function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div data-testid={testId}>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="text-slate-900">{children}</dd>
    </div>
  )
}

function SuggestedReply({ conversationId, text }: { conversationId: string; text: string }) {
  const t = useT()

  async function use() {
    if (offerDraft(conversationId, text)) {
      toast(t('ai.analysis.replyInBox'))
      return
    }
    // No send box on screen (the chat is closed): the clipboard is the next best place.
    try {
      await navigator.clipboard.writeText(text)
      toast(t('ai.analysis.replyCopied'))
    } catch {
      toast(t('ai.analysis.replyCopyFailed'), 'error')
    }
  }

  return (
    <div className="grid gap-1.5" data-testid="ai-analysis-reply">
      <h4 className="text-xs text-slate-500">{t('ai.analysis.suggestedReply')}</h4>
      <blockquote className="rounded-md border-l-4 border-violet-300 bg-white px-2 py-1.5 text-sm whitespace-pre-wrap text-slate-900">
        {text}
      </blockquote>
      <Button size="sm" variant="outline" onClick={() => void use()} data-testid="ai-analysis-use-reply">
        <ClipboardCopy aria-hidden />
        {t('ai.analysis.useReply')}
      </Button>
    </div>
  )
}

type Props = {
  conversationId: string
  /** The freshest analysis known without asking (the conversation's aiState, the panel's state). */
  analysis: ConversationAnalysis | null
}

/** Sentiment, urgency, intent, topics, engagement, summary and the suggested reply; "Analisar agora". */
export function ConversationAnalysisSection({ conversationId, analysis: known }: Props) {
  const t = useT()
  const format = useFormat()
  const analyze = useAnalyzeConversation(conversationId)
  const analysis = latestAnalysis(known, analyze.data?.analysis)
  const topics = analysis?.topics ?? []

  return (
    <section className="grid gap-2" data-testid="ai-analysis">
      <div className="flex items-center justify-between gap-2">
        <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">{t('ai.analysis.title')}</h3>
        <Button
          size="sm"
          variant="outline"
          loading={analyze.isPending}
          onClick={() => analyze.mutate()}
          data-testid="ai-analyze-now"
        >
          {!analyze.isPending && <Sparkles aria-hidden />}
          {t('ai.analysis.analyzeNow')}
        </Button>
      </div>
      {analyze.isError && <AiErrorAlert error={analyze.error} />}
      {!analysis ? (
        <p className="text-xs text-slate-500" data-testid="ai-analysis-none">
          {t('ai.analysis.none')}
        </p>
      ) : (
        <>
          <dl className="grid gap-1.5 text-sm" data-testid="ai-analysis-details">
            <div className="flex flex-wrap gap-1">
              {analysis.sentiment && (
                <Badge tone={toneOf(SENTIMENT_TONE, analysis.sentiment)} data-testid="ai-analysis-sentiment">
                  {t('ai.analysis.sentimentBadge', { value: sentimentLabel(analysis.sentiment, t) })}
                </Badge>
              )}
              {analysis.urgency && (
                <Badge tone={toneOf(URGENCY_TONE, analysis.urgency)} data-testid="ai-analysis-urgency">
                  {t('ai.analysis.urgencyBadge', { value: urgencyLabel(analysis.urgency, t) })}
                </Badge>
              )}
            </div>
            {analysis.intent && (
              <Field label={t('ai.analysis.intent')} testId="ai-analysis-intent">
                {analysis.intent}
              </Field>
            )}
            {topics.length > 0 && (
              <Field label={t('ai.analysis.topics')}>
                <ul className="mt-0.5 flex flex-wrap gap-1" data-testid="ai-analysis-topics">
                  {topics.map((topic) => (
                    <li key={topic} className="rounded-full bg-slate-200 px-2 py-0.5 text-xs text-slate-700">
                      {topic}
                    </li>
                  ))}
                </ul>
              </Field>
            )}
            {typeof analysis.engagement === 'number' && (
              <Field label={t('ai.analysis.engagement')} testId="ai-analysis-engagement">
                <span className="flex items-center gap-2">
                  <Progress
                    value={analysis.engagement}
                    label={t('ai.analysis.engagement')}
                    valueText={`${analysis.engagement}/100`}
                    className="h-1.5"
                    indicatorClassName="bg-violet-500"
                  />
                  <span className="shrink-0 text-xs text-slate-600">{analysis.engagement}/100</span>
                </span>
              </Field>
            )}
            {analysis.summary && (
              <Field label={t('ai.panel.summary')} testId="ai-analysis-summary">
                {analysis.summary}
              </Field>
            )}
            {analysis.analyzedAt && (
              <p className="text-[0.7rem] text-slate-400">{t('ai.analysis.analyzedAt', { when: format.dateTime(analysis.analyzedAt) })}</p>
            )}
          </dl>
          {analysis.suggestedReply && <SuggestedReply conversationId={conversationId} text={analysis.suggestedReply} />}
        </>
      )}
    </section>
  )
}
