import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, apiFetch } from '@/lib/api-client'

export type QuickReplyScope = 'company' | 'personal'

export type QuickReply = {
  id: string
  shortcut: string
  title: string
  content: string
  scope: QuickReplyScope
  createdBy: string | null
  updatedAt: string
}

export type QuickReplyInput = { shortcut: string; title: string; content: string; scope: QuickReplyScope }

const BASE = '/api/quick-replies'
const itemUrl = (id: string) => `${BASE}/${encodeURIComponent(id)}`

export const quickReplyKeys = {
  all: ['quick-replies'] as const,
  list: (search: string) => ['quick-replies', 'list', search] as const,
}

export const quickRepliesQueryOptions = (search = '') =>
  queryOptions({
    queryKey: quickReplyKeys.list(search),
    queryFn: ({ signal }) => api.get<QuickReply[]>(BASE, { search }, signal),
    // Replies change rarely; the picker reads them on every "/" typed.
    staleTime: 60_000,
  })

/** The settings list, filtered by the server; the previous rows stay while a new search loads. */
export const useQuickReplies = (search: string) =>
  useQuery({ ...quickRepliesQueryOptions(search.trim()), placeholderData: keepPreviousData })

function useInvalidate() {
  const queryClient = useQueryClient()
  return () => queryClient.invalidateQueries({ queryKey: quickReplyKeys.all })
}

export function useCreateQuickReply() {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: (input: QuickReplyInput) => api.post<QuickReply>(BASE, input),
    onSuccess: invalidate,
  })
}

export function useUpdateQuickReply() {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: async ({ id, ...changes }: Partial<QuickReplyInput> & { id: string }) =>
      (await apiFetch<QuickReply>(itemUrl(id), { method: 'PUT', body: changes })).data,
    onSuccess: invalidate,
  })
}

export function useDeleteQuickReply() {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: (id: string) => api.delete(itemUrl(id)),
    onSuccess: invalidate,
  })
}

export type RenderTarget = { conversationId?: string; contactId?: string }

export const renderQuickReply = async (id: string, target: RenderTarget) =>
  (await api.post<{ text: string }>(`${itemUrl(id)}/render`, target)).text
