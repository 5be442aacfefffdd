import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { id } from './http'
import { funnelKeys } from './keys'
import type { Board, DealCard } from './types'

export const boardQueryOptions = (funnelId: string) =>
  queryOptions({
    queryKey: funnelKeys.board(funnelId),
    queryFn: ({ signal }) => api.get<Board>(`/api/funnels/${id(funnelId)}/board`, undefined, signal),
  })

export const useBoard = (funnelId: string | undefined) =>
  useQuery({ ...boardQueryOptions(funnelId ?? ''), enabled: !!funnelId })

export const MIN_SEARCH = 2

const matchIds = (cards: DealCard[]) => new Set(cards.map((card) => card.id))

/** Deal ids matching the search (title, contact name or phone); undefined while not searching. */
export const useBoardSearch = (funnelId: string | undefined, q: string) =>
  useQuery({
    queryKey: funnelKeys.search(funnelId ?? '', q),
    queryFn: ({ signal }) => api.get<DealCard[]>(`/api/funnels/${id(funnelId ?? '')}/search`, { q }, signal),
    enabled: !!funnelId && q.length >= MIN_SEARCH,
    placeholderData: keepPreviousData,
    select: matchIds,
    staleTime: 10_000,
  })
