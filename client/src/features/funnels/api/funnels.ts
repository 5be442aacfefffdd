import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { id, put } from './http'
import { funnelKeys } from './keys'
import type { Funnel, FunnelInput, FunnelStats, Stage, StageInput } from './types'

export const funnelsQueryOptions = queryOptions({
  queryKey: funnelKeys.list,
  queryFn: ({ signal }) => api.get<Funnel[]>('/api/funnels', undefined, signal),
})

export const useFunnels = () => useQuery(funnelsQueryOptions)

/** The funnel a bare /funnels shows: the company's default, else the first. */
export const defaultFunnel = (funnels: Funnel[]): Funnel | undefined => funnels.find((funnel) => funnel.isDefault) ?? funnels[0]

const isoDate = (date: Date) => date.toISOString().slice(0, 10)

/** Deals created in the last `days` days (the API's default window is 90). */
export const useFunnelStats = (funnelId: string, days: number) =>
  useQuery({
    queryKey: [...funnelKeys.stats(funnelId), days],
    queryFn: ({ signal }) =>
      api.get<FunnelStats>(
        `/api/funnels/${id(funnelId)}/stats`,
        { from: isoDate(new Date(Date.now() - days * 86_400_000)), to: isoDate(new Date()) },
        signal,
      ),
    placeholderData: keepPreviousData,
  })

/** Structure changed: the list (stages, counts) and the board (columns) are refetched. */
export function refreshFunnels(queryClient: QueryClient, funnelId?: string): Promise<unknown> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: funnelKeys.list }),
    queryClient.invalidateQueries({ queryKey: funnelId ? funnelKeys.board(funnelId) : funnelKeys.boards }),
    queryClient.invalidateQueries({ queryKey: funnelId ? funnelKeys.stats(funnelId) : ['funnels', 'stats'] }),
  ])
}

export function useCreateFunnel() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: FunnelInput) => api.post<Funnel>('/api/funnels', input),
    onSuccess: () => refreshFunnels(queryClient),
  })
}

export function useUpdateFunnel() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ funnelId, input }: { funnelId: string; input: FunnelInput }) =>
      put<Funnel>(`/api/funnels/${id(funnelId)}`, input),
    // Setting a default clears the others: every funnel in the list may change.
    onSuccess: (funnel) => refreshFunnels(queryClient, funnel.id),
  })
}

export function useDeleteFunnel() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (funnelId: string) => api.delete(`/api/funnels/${id(funnelId)}`),
    // The page then falls back to the default funnel; its board stays cached until collected.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: funnelKeys.list }),
  })
}

export function useCreateStage(funnelId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: StageInput) => api.post<Stage>(`/api/funnels/${id(funnelId)}/stages`, input),
    onSuccess: () => refreshFunnels(queryClient, funnelId),
  })
}

export function useUpdateStage(funnelId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ stageId, input }: { stageId: string; input: StageInput }) =>
      put<Stage>(`/api/funnels/stages/${id(stageId)}`, input),
    onSuccess: () => refreshFunnels(queryClient, funnelId),
  })
}

export function useDeleteStage(funnelId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (stageId: string) => api.delete(`/api/funnels/stages/${id(stageId)}`),
    // Its deals moved to a neighbouring stage: every column may have changed.
    onSuccess: () => refreshFunnels(queryClient, funnelId),
  })
}

/** Shown in the new order at once; a refusal puts the old order back. */
export function useReorderStages(funnelId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (stageIds: string[]) => api.post(`/api/funnels/${id(funnelId)}/stages/reorder`, { stageIds }),
    onMutate: async (stageIds) => {
      await queryClient.cancelQueries({ queryKey: funnelKeys.list })
      const previous = queryClient.getQueryData<Funnel[]>(funnelKeys.list)
      queryClient.setQueryData<Funnel[]>(funnelKeys.list, (funnels) =>
        funnels?.map((funnel) => (funnel.id === funnelId ? { ...funnel, stages: reorder(funnel.stages, stageIds) } : funnel)),
      )
      return { previous }
    },
    onError: (_error, _ids, context) => {
      if (context?.previous) queryClient.setQueryData(funnelKeys.list, context.previous)
    },
    onSettled: () => refreshFunnels(queryClient, funnelId),
  })
}

function reorder(stages: Stage[], stageIds: string[]): Stage[] {
  const byId = new Map(stages.map((stage) => [stage.id, stage]))
  return stageIds.flatMap((stageId, order) => {
    const stage = byId.get(stageId)
    return stage ? [{ ...stage, order }] : []
  })
}
