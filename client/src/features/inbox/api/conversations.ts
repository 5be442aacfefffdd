import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { patchConversation, removeConversation } from './cache'
import { inboxKeys, normaliseFilters } from './keys'
import type { Conversation, ConversationFilters, ConversationPage } from './types'

export const CONVERSATIONS_PAGE_SIZE = 30

/** Query string of GET /conversations: lists are comma-separated, booleans as true/false. */
export function conversationQuery(filters: ConversationFilters, page: number): Record<string, string | number | boolean> {
  const query: Record<string, string | number | boolean> = { page, limit: CONVERSATIONS_PAGE_SIZE }
  const normalised = normaliseFilters(filters)
  for (const [key, value] of Object.entries(normalised)) {
    query[key] = Array.isArray(value) ? value.join(',') : (value)
  }
  // The server lists unarchived conversations unless asked otherwise; say so explicitly.
  query.isArchived = normalised.isArchived ?? false
  return query
}

export const conversationsQueryOptions = (filters: ConversationFilters) =>
  infiniteQueryOptions({
    queryKey: inboxKeys.list(filters),
    queryFn: ({ pageParam, signal }) =>
      api.get<ConversationPage>('/api/whatsapp/conversations', conversationQuery(filters, pageParam), signal),
    initialPageParam: 1,
    getNextPageParam: (last) => (last.pagination.page < last.pagination.totalPages ? last.pagination.page + 1 : undefined),
    // Socket events keep the lists current; a refetch only follows a reconnect.
    staleTime: Infinity,
  })

export const useConversations = (filters: ConversationFilters) =>
  useInfiniteQuery({ ...conversationsQueryOptions(filters), placeholderData: keepPreviousData })

export const conversationQueryOptions = (id: string) => ({
  queryKey: inboxKeys.conversation(id),
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    api.get<Conversation>(`/api/whatsapp/conversations/${encodeURIComponent(id)}`, undefined, signal),
  staleTime: Infinity,
})

export const useConversation = (id: string) => useQuery(conversationQueryOptions(id))

const path = (id: string, action?: string) =>
  `/api/whatsapp/conversations/${encodeURIComponent(id)}${action ? `/${action}` : ''}`

export function useMarkConversationRead() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => api.post(path(id, 'read')),
    onMutate: (id) => patchConversation(queryClient, id, { unreadCount: 0 }),
  })
}

export function useTogglePause() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => api.post<{ id: string; isPaused: boolean }>(path(id, 'toggle-pause')),
    onSuccess: ({ id, isPaused }) => patchConversation(queryClient, id, { isPaused }),
  })
}

export function useSetArchived() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ id, archived }: { id: string; archived: boolean }) =>
      api.post<{ id: string; isArchived: boolean }>(path(id, archived ? 'archive' : 'unarchive')),
    onSuccess: ({ id, isArchived }) => patchConversation(queryClient, id, { isArchived }),
  })
}

export function useDeleteConversation() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => api.delete(path(id)),
    onSuccess: (_, id) => removeConversation(queryClient, id),
  })
}
