import type { QueryClient } from '@tanstack/react-query'
import { applyDealUpdate, removeDeal } from './board-cache'
import { funnelKeys } from './keys'
import type { Board, DealCard } from './types'

/** Writes what the server says about a deal into every cached board. */
export function patchBoards(queryClient: QueryClient, deal: DealCard): void {
  queryClient.setQueriesData<Board>({ queryKey: funnelKeys.boards }, (board) => board && applyDealUpdate(board, deal))
}

export function dropFromBoards(queryClient: QueryClient, dealId: string): void {
  queryClient.setQueriesData<Board>({ queryKey: funnelKeys.boards }, (board) => board && removeDeal(board, dealId))
}
