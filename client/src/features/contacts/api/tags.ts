import { queryOptions, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { api, apiFetch } from '@/lib/api-client'
import { contactPath, refreshContact } from './contacts'
import { contactKeys } from './keys'
import type { MergeResult, Tag } from './types'

export type TagInput = { name?: string; color?: string; description?: string | null; isAiManaged?: boolean }

const tagPath = (id: string) => `/api/contacts/tags/${encodeURIComponent(id)}`

export const tagsQueryOptions = queryOptions({
  queryKey: contactKeys.tags,
  queryFn: ({ signal }) => api.get<Tag[]>('/api/contacts/tags/list', undefined, signal),
})

export const useTags = () => useQuery(tagsQueryOptions)

// Renaming, recolouring, deleting or merging a tag changes the chips of every contact carrying it.
async function refreshTagged(queryClient: QueryClient): Promise<void> {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: contactKeys.tags }),
    queryClient.invalidateQueries({ queryKey: contactKeys.lists }),
    queryClient.invalidateQueries({ queryKey: contactKeys.details }),
  ])
}

export function useCreateTag() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: TagInput & { name: string }) => api.post<Tag>('/api/contacts/tags', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: contactKeys.tags }),
  })
}

export function useUpdateTag() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async ({ id, ...input }: TagInput & { id: string }) =>
      (await apiFetch<Tag>(tagPath(id), { method: 'PUT', body: input })).data,
    onSuccess: () => refreshTagged(queryClient),
  })
}

export function useDeleteTag() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => api.delete(tagPath(id)),
    onSuccess: () => refreshTagged(queryClient),
  })
}

export function useMergeTags() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: { sourceTagIds: string[]; targetTagId: string }) => api.post<MergeResult>('/api/contacts/tags/merge', input),
    onSuccess: () => refreshTagged(queryClient),
  })
}

/** Adds or removes one tag on one contact (idempotent on the server). */
export function useContactTag(contactId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ tagId, action }: { tagId: string; action: 'add' | 'remove' }) => {
      const path = contactPath(contactId, `tags/${encodeURIComponent(tagId)}`)
      return action === 'add' ? api.post(path) : api.delete(path)
    },
    onSuccess: () =>
      Promise.all([refreshContact(queryClient, contactId), queryClient.invalidateQueries({ queryKey: contactKeys.tags })]),
  })
}

/** Tags on many contacts at once (the list's selection). */
export function useBulkTags() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ action, ...body }: { action: 'assign' | 'unassign'; contactIds: string[]; tagIds: string[] }) =>
      api.post<{ changed: number }>(`/api/contacts/tags/${action}`, body),
    onSuccess: () => refreshTagged(queryClient),
  })
}
