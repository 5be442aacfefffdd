import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { dropFromBoards, patchBoards } from './board-patch'
import { findDeal, moveDealOptimistic, placeDeal, type Located } from './board-cache'
import { id, put } from './http'
import { dealKeys, funnelKeys } from './keys'
import type { Board, Deal, DealInput, DealPatch } from './types'

export const useDeal = (dealId: string) =>
  useQuery({
    queryKey: dealKeys.detail(dealId),
    queryFn: ({ signal }) => api.get<Deal>(`/api/deals/${id(dealId)}`, undefined, signal),
  })

/** A changed deal: its detail, every board showing it and its timeline. */
export function storeDeal(queryClient: QueryClient, deal: Deal): void {
  queryClient.setQueryData(dealKeys.detail(deal.id), deal)
  patchBoards(queryClient, deal)
  void queryClient.invalidateQueries({ queryKey: dealKeys.activities(deal.id) })
}

export function useCreateDeal() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: DealInput) => api.post<Deal>('/api/deals', input),
    onSuccess: (deal) => storeDeal(queryClient, deal),
  })
}

export function useUpdateDeal(dealId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (patch: DealPatch) => put<Deal>(`/api/deals/${id(dealId)}`, patch),
    onSuccess: (deal) => storeDeal(queryClient, deal),
  })
}

export function useReopenDeal(dealId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (reason: string) => api.post<Deal>(`/api/deals/${id(dealId)}/reopen`, { reason }),
    onSuccess: (deal) => storeDeal(queryClient, deal),
  })
}

export function useDeleteDeal(dealId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () => api.delete(`/api/deals/${id(dealId)}`),
    onSuccess: () => dropFromBoards(queryClient, dealId),
  })
}

export function useDuplicateDeal(dealId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ funnelId, stageId }: { funnelId: string; stageId: string }) =>
      api.post<Deal>('/api/deals/duplicate', { dealId, funnelId, stageId }),
    onSuccess: (deal) => {
      storeDeal(queryClient, deal)
      // The original logs CLONED too.
      void queryClient.invalidateQueries({ queryKey: dealKeys.activities(dealId) })
    },
  })
}

export type MoveVariables = { dealId: string; stageId: string; position: number; lostReason?: string }

/**
 * Moves a card at once; the server may still refuse (WIP limit reached meanwhile, a closed deal):
 * then only this card goes back where it was (another move made meanwhile stays), the server's
 * words are shown, and the board is fetched again since its counts were evidently stale.
 */
export function useMoveDeal(funnelId: string) {
  const queryClient = useQueryClient()
  const t = useT()
  const key = funnelKeys.board(funnelId)
  return useMutation({
    mutationFn: (variables: MoveVariables) => api.post<Deal>('/api/deals/move', variables),
    onMutate: async ({ dealId, stageId, position }) => {
      await queryClient.cancelQueries({ queryKey: key })
      const board = queryClient.getQueryData<Board>(key)
      const origin: Located | undefined = board && findDeal(board, dealId)
      if (board) queryClient.setQueryData(key, moveDealOptimistic(board, dealId, stageId, position))
      return { origin }
    },
    onError: (error, _variables, context) => {
      const origin = context?.origin
      if (origin) {
        queryClient.setQueryData<Board>(key, (board) => board && placeDeal(board, origin.card, origin.index))
      }
      toast(errorMessage(error, t), 'error')
      void queryClient.invalidateQueries({ queryKey: key })
    },
    onSuccess: (deal) => storeDeal(queryClient, deal),
  })
}
