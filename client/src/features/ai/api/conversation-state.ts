import { queryOptions, useQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { aiKeys } from './keys'
import type { ConversationAiState } from './types'

export const conversationAiStateQueryOptions = (conversationId: string) =>
  queryOptions({
    queryKey: aiKeys.conversationState(conversationId),
    queryFn: ({ signal }) =>
      api.get<ConversationAiState>(`/api/ai/conversations/${encodeURIComponent(conversationId)}/state`, undefined, signal),
  })

export const useConversationAiState = (conversationId: string, enabled = true) =>
  useQuery({ ...conversationAiStateQueryOptions(conversationId), enabled })
