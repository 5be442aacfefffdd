import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { patchBoards } from './board-patch'
import { id } from './http'
import { dealKeys } from './keys'
import type { Activity, Deal, DealAttachment, DealNote } from './types'

// Notes, attachments and the activity timeline of one deal (the drawer's sections).

const base = (dealId: string) => `/api/deals/${id(dealId)}`

export const useDealNotes = (dealId: string) =>
  useQuery({
    queryKey: dealKeys.notes(dealId),
    queryFn: ({ signal }) => api.get<DealNote[]>(`${base(dealId)}/notes`, undefined, signal),
  })

export const useDealAttachments = (dealId: string) =>
  useQuery({
    queryKey: dealKeys.attachments(dealId),
    queryFn: ({ signal }) => api.get<DealAttachment[]>(`${base(dealId)}/attachments`, undefined, signal),
    // Download links are signed for a few minutes only.
    staleTime: 60_000,
    refetchOnWindowFocus: true,
  })

export const useDealActivities = (dealId: string) =>
  useQuery({
    queryKey: dealKeys.activities(dealId),
    queryFn: ({ signal }) => api.get<Activity[]>(`${base(dealId)}/activities`, undefined, signal),
  })

type Counter = 'noteCount' | 'attachmentCount'

/** Keeps the card's note/attachment badge in step without refetching the board. */
function bumpCount(queryClient: QueryClient, dealId: string, counter: Counter, delta: number): void {
  const deal = queryClient.getQueryData<Deal>(dealKeys.detail(dealId))
  if (!deal) return
  const next = { ...deal, [counter]: Math.max(0, deal[counter] + delta) }
  queryClient.setQueryData(dealKeys.detail(dealId), next)
  patchBoards(queryClient, next)
}

function afterChange(queryClient: QueryClient, dealId: string, key: readonly unknown[], counter: Counter, delta: number) {
  bumpCount(queryClient, dealId, counter, delta)
  void queryClient.invalidateQueries({ queryKey: dealKeys.activities(dealId) })
  return queryClient.invalidateQueries({ queryKey: key })
}

export function useAddDealNote(dealId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: { content: string; contentHtml: string }) => api.post<DealNote>(`${base(dealId)}/notes`, input),
    onSuccess: (note) => {
      queryClient.setQueryData<DealNote[]>(dealKeys.notes(dealId), (notes) => [note, ...(notes ?? []).filter((item) => item.id !== note.id)])
      return afterChange(queryClient, dealId, dealKeys.notes(dealId), 'noteCount', 1)
    },
  })
}

export function useDeleteDealNote(dealId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (noteId: string) => api.delete(`${base(dealId)}/notes/${id(noteId)}`),
    onSuccess: (_, noteId) => {
      queryClient.setQueryData<DealNote[]>(dealKeys.notes(dealId), (notes) => notes?.filter((note) => note.id !== noteId))
      return afterChange(queryClient, dealId, dealKeys.notes(dealId), 'noteCount', -1)
    },
  })
}

export function useUploadDealAttachment(dealId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (file: File) => {
      const form = new FormData()
      form.append('file', file)
      return api.post<DealAttachment>(`${base(dealId)}/attachments`, form)
    },
    onSuccess: () => afterChange(queryClient, dealId, dealKeys.attachments(dealId), 'attachmentCount', 1),
  })
}

export function useDeleteDealAttachment(dealId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (attachmentId: string) => api.delete(`${base(dealId)}/attachments/${id(attachmentId)}`),
    onSuccess: (_, attachmentId) => {
      queryClient.setQueryData<DealAttachment[]>(dealKeys.attachments(dealId), (items) =>
        items?.filter((item) => item.id !== attachmentId),
      )
      return afterChange(queryClient, dealId, dealKeys.attachments(dealId), 'attachmentCount', -1)
    },
  })
}
