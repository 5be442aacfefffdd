import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { aiKeys } from './keys'

/** The internal assistant (server/evoai/ai/assistant_endpoints.py): each member's own conversations. */

export type AssistantTool = { name: string; arguments: Record<string, unknown> }

export type AssistantConversation = {
  id: string
  title: string
  createdAt: string
  lastMessageAt: string
  messageCount: number
}

export type AssistantMessage = {
  id: string
  role: 'user' | 'assistant'
  content: string
  tools: AssistantTool[]
  createdAt: string
}

export type AssistantChatInput = { message: string; conversationId?: string }

export type AssistantChatResult = {
  response: string
  conversationId: string
  messageId: string
  toolsUsed: AssistantTool[]
}

const conversationPath = (id: string) => `/api/ai/assistant/conversations/${encodeURIComponent(id)}`

export const assistantConversationsQueryOptions = queryOptions({
  queryKey: aiKeys.assistantConversations,
  queryFn: ({ signal }) => api.get<AssistantConversation[]>('/api/ai/assistant/conversations', undefined, signal),
})

export const assistantMessagesQueryOptions = (id: string) =>
  queryOptions({
    queryKey: aiKeys.assistantMessages(id),
    queryFn: ({ signal }) => api.get<AssistantMessage[]>(`${conversationPath(id)}/messages`, undefined, signal),
  })

export const useAssistantConversations = () => useQuery(assistantConversationsQueryOptions)

export const useAssistantMessages = (id: string | null) =>
  useQuery({ ...assistantMessagesQueryOptions(id ?? ''), enabled: id !== null })

/**
 * Sends one question. On success the question and the answer are appended to the conversation's
 * cached messages (so the chat shows them at once) and the list is asked for again.
 */
export function useAssistantChat() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: AssistantChatInput) => api.post<AssistantChatResult>('/api/ai/assistant/chat', input),
    onSuccess: (result, input) => {
      const now = new Date().toISOString()
      queryClient.setQueryData<AssistantMessage[]>(aiKeys.assistantMessages(result.conversationId), (current) => [
        ...(current ?? []),
        { id: `${result.messageId}:question`, role: 'user', content: input.message, tools: [], createdAt: now },
        { id: result.messageId, role: 'assistant', content: result.response, tools: result.toolsUsed, createdAt: now },
      ])
      void queryClient.invalidateQueries({ queryKey: aiKeys.assistantConversations })
    },
  })
}

export function useDeleteAssistantConversation() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => api.delete(conversationPath(id)),
    onSuccess: (_, id) => {
      queryClient.removeQueries({ queryKey: aiKeys.assistantMessages(id) })
      queryClient.setQueryData<AssistantConversation[]>(aiKeys.assistantConversations, (list) =>
        list?.filter((item) => item.id !== id),
      )
    },
  })
}
