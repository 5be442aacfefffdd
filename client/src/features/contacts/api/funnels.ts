import { queryOptions, useQuery } from '@tanstack/react-query'
import { funnelsQueryOptions } from '@/features/funnels/api/funnels'
import type { FunnelOption } from './types'

// The board's funnel list (one fetch and one cache for both pages, refreshed by the funnels'
// live events), seen as the options the contact filters need.
export const funnelOptionsQueryOptions = queryOptions({
  ...funnelsQueryOptions,
  select: (funnels): FunnelOption[] =>
    funnels.map((funnel) => ({ ...funnel, stages: [...funnel.stages].sort((a, b) => a.order - b.order) })),
  staleTime: 5 * 60_000,
})

export const useFunnelOptions = () => useQuery(funnelOptionsQueryOptions)
