import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { aiKeys } from './keys'

export type Sentiment = 'positive' | 'neutral' | 'negative' | 'mixed'
export type Urgency = 'low' | 'medium' | 'high' | 'critical'

/** The conversation's analysis, as in `aiState` of the inbox and in POST /api/ai/analyze. */
export type ConversationAnalysis = {
  sentiment?: Sentiment | (string & {}) | null
  urgency?: Urgency | (string & {}) | null
  intent?: string | null
  topics?: string[] | null
  /** 0–100. */
  engagement?: number | null
  summary?: string | null
  suggestedReply?: string | null
  analyzedAt?: string | null
}

/** "Analisar agora": a fresh analysis even when the last one is recent. */
export function useAnalyzeConversation(conversationId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () =>
      api.post<{ analysis: ConversationAnalysis }>('/api/ai/analyze', { conversationId, force: true }),
    // The panel's state (sentiment, summary…) comes from the same analysis.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: aiKeys.conversationState(conversationId) }),
  })
}
