import { queryOptions, useQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { contactKeys } from './keys'
import type { FunnelOption } from './types'

export const funnelOptionsQueryOptions = queryOptions({
  queryKey: contactKeys.funnels,
  queryFn: ({ signal }) => api.get<FunnelOption[]>('/api/funnels', undefined, signal),
  select: (funnels) => funnels.map((funnel) => ({ ...funnel, stages: [...funnel.stages].sort((a, b) => a.order - b.order) })),
  staleTime: 5 * 60_000,
})

export const useFunnelOptions = () => useQuery(funnelOptionsQueryOptions)
