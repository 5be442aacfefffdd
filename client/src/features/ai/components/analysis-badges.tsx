import { Frown, Meh, Siren } from 'lucide-react'
import { useT } from '@/lib/i18n'
import { cn } from '@/lib/utils'
import type { ConversationAnalysis } from '../api/analysis'
import { isAlarmingSentiment, isAlarmingUrgency, sentimentLabel, urgencyLabel } from '../labels'

/**
 * Marks for the inbox list: a negative or mixed mood, a high or critical urgency. Calm
 * conversations get nothing, so the marks stand out.
 */
export function AnalysisBadges({ analysis }: { analysis: Pick<ConversationAnalysis, 'sentiment' | 'urgency'> | null | undefined }) {
  const t = useT()
  const sentiment = analysis?.sentiment
  const urgency = analysis?.urgency
  const showSentiment = isAlarmingSentiment(sentiment)
  const showUrgency = isAlarmingUrgency(urgency)
  if (!showSentiment && !showUrgency) return null
  const Mood = sentiment === 'negative' ? Frown : Meh
  return (
    <span className="flex shrink-0 items-center gap-1">
      {showSentiment && sentiment && (
        <span
          className={cn(
            'inline-flex items-center rounded-full p-0.5',
            sentiment === 'negative' ? 'bg-red-100 text-red-700' : 'bg-amber-100 text-amber-800',
          )}
          role="img"
          aria-label={t('ai.analysis.sentimentBadge', { value: sentimentLabel(sentiment, t) })}
          title={t('ai.analysis.sentimentBadge', { value: sentimentLabel(sentiment, t) })}
          data-testid="inbox-sentiment-badge"
          data-sentiment={sentiment}
        >
          <Mood className="size-3.5" aria-hidden />
        </span>
      )}
      {showUrgency && urgency && (
        <span
          className={cn(
            'inline-flex items-center gap-0.5 rounded-full px-1.5 py-0.5 text-[0.65rem] font-semibold',
            urgency === 'critical' ? 'bg-red-600 text-white' : 'bg-orange-100 text-orange-800',
          )}
          title={t('ai.analysis.urgencyBadge', { value: urgencyLabel(urgency, t) })}
          data-testid="inbox-urgency-badge"
          data-urgency={urgency}
        >
          <Siren className="size-3" aria-hidden />
          {urgencyLabel(urgency, t)}
        </span>
      )}
    </span>
  )
}
