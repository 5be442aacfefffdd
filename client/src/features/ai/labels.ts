import type { MessageKey, TFunction } from '@/lib/i18n'
import type { ConversationAnalysis } from './api/analysis'
import type { ConversationAiState } from './api/types'

const ASSISTANT_TOOL_KEYS: Record<string, MessageKey> = {
  waiting_conversations: 'aiAssistant.tool.waiting_conversations',
  find_contacts: 'aiAssistant.tool.find_contacts',
  funnel_overview: 'aiAssistant.tool.funnel_overview',
  metrics: 'aiAssistant.tool.metrics',
  attention_needed: 'aiAssistant.tool.attention_needed',
}

const SENTIMENT_KEYS: Record<string, MessageKey> = {
  positive: 'ai.sentiment.positive',
  neutral: 'ai.sentiment.neutral',
  negative: 'ai.sentiment.negative',
  mixed: 'ai.sentiment.mixed',
}

const URGENCY_KEYS: Record<string, MessageKey> = {
  low: 'ai.urgency.low',
  medium: 'ai.urgency.medium',
  high: 'ai.urgency.high',
  critical: 'ai.urgency.critical',
}

const SOURCE_KEYS: Record<string, MessageKey> = {
  message: 'aiSearch.source.message',
  faq: 'aiSearch.source.faq',
  knowledge: 'aiSearch.source.knowledge',
}

const label = (keys: Record<string, MessageKey>, value: string, t: TFunction) => (keys[value] ? t(keys[value]) : value)

/** What the assistant looked at, in words ("funil"); an unknown tool keeps its own name. */
export const assistantToolLabel = (name: string, t: TFunction) => label(ASSISTANT_TOOL_KEYS, name, t)
export const sentimentLabel = (value: string, t: TFunction) => label(SENTIMENT_KEYS, value, t)
export const urgencyLabel = (value: string, t: TFunction) => label(URGENCY_KEYS, value, t)
export const sourceTypeLabel = (value: string, t: TFunction) => label(SOURCE_KEYS, value, t)

/** The analyses worth a mark in the inbox list. */
export const isAlarmingSentiment = (value: string | null | undefined) => value === 'negative' || value === 'mixed'
export const isAlarmingUrgency = (value: string | null | undefined) => value === 'high' || value === 'critical'

const time = (analysis: ConversationAnalysis | null | undefined) => (analysis?.analyzedAt ? Date.parse(analysis.analyzedAt) || 0 : -1)

/** The newest of the analyses known (the live conversation, the panel's state, the last "Analisar agora"). */
export function latestAnalysis(...candidates: (ConversationAnalysis | null | undefined)[]): ConversationAnalysis | null {
  let best: ConversationAnalysis | null = null
  for (const candidate of candidates) {
    if (candidate?.analyzedAt && time(candidate) > time(best)) best = candidate
  }
  return best
}

/** The panel's state in the shape of an analysis (its reply is called `suggestedResponse` there). */
export const analysisOfState = (state: ConversationAiState): ConversationAnalysis => ({
  sentiment: state.sentiment,
  urgency: state.urgency,
  intent: state.intent,
  topics: state.topics,
  summary: state.summary,
  suggestedReply: state.suggestedResponse,
  analyzedAt: state.lastAnalyzedAt,
})
