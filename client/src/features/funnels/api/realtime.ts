import type { QueryClient } from '@tanstack/react-query'
import { dealKeys, funnelKeys } from './keys'
import type { Deal, DealCard } from './types'

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null
const isCard = (value: unknown): value is DealCard =>
  isObject(value) &&
  typeof value.id === 'string' &&
  typeof value.stageId === 'string' &&
  typeof value.funnelId === 'string' &&
  typeof value.value === 'number' &&
  typeof value.status === 'string'

// This module is in the initial bundle (the socket starts with the shell); the board code is
// fetched only when a board is cached, which means the funnels page has already loaded it.
const loadBoardPatch = () => import('./board-patch')
const hasBoards = (queryClient: QueryClient) => queryClient.getQueriesData({ queryKey: funnelKeys.boards }).length > 0

/**
 * Socket events → cache writes. A card event is applied to every cached board (idempotent, so
 * the echo of our own move changes nothing); the open deal's detail takes the card's fields at
 * once and is refetched for what a card does not carry (stage name, timeline).
 * Handlers resolve once the boards are patched (tests wait for that; the socket does not).
 */
export function funnelRealtimeHandlers(queryClient: QueryClient) {
  return {
    'deal-updated': async (payload: unknown): Promise<void> => {
      if (!isObject(payload) || !isCard(payload.deal)) return
      const card = payload.deal
      queryClient.setQueryData<Deal>(dealKeys.detail(card.id), (deal) => deal && { ...deal, ...card })
      void queryClient.invalidateQueries({ queryKey: dealKeys.detail(card.id) })
      void queryClient.invalidateQueries({ queryKey: dealKeys.activities(card.id) })
      void queryClient.invalidateQueries({ queryKey: funnelKeys.stats(card.funnelId) })
      if (hasBoards(queryClient)) (await loadBoardPatch()).patchBoards(queryClient, card)
    },
    'deal-deleted': async (payload: unknown): Promise<void> => {
      if (!isObject(payload) || typeof payload.id !== 'string') return
      // An open drawer refetches and shows that the deal is gone.
      void queryClient.invalidateQueries({ queryKey: dealKeys.detail(payload.id) })
      if (hasBoards(queryClient)) (await loadBoardPatch()).dropFromBoards(queryClient, payload.id)
    },
    // Structure (stages, WIP limits, names, default) changed: refetch rather than guess.
    'funnel-updated': (payload: unknown): void => {
      if (!isObject(payload) || typeof payload.id !== 'string') return
      void queryClient.invalidateQueries({ queryKey: funnelKeys.list })
      void queryClient.invalidateQueries({ queryKey: funnelKeys.board(payload.id) })
      void queryClient.invalidateQueries({ queryKey: funnelKeys.stats(payload.id) })
    },
  }
}
