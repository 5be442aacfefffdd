import { queryOptions, useQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { AiUsage } from '@/features/ai/api/types'
import type { Plan } from '@/types/api'

export type CompanyUsage = {
  plan: Plan
  usage: { instances: number; contacts: number; messagesThisMonth: number }
  period: { start: string; end: string }
  /** This month's model calls, tokens and cost (absent from servers older than the AI). */
  ai?: AiUsage
}

export const usageQueryOptions = queryOptions({
  queryKey: ['company', 'usage'],
  queryFn: ({ signal }) => api.get<CompanyUsage>('/api/company/usage', undefined, signal),
})

export const plansQueryOptions = queryOptions({
  queryKey: ['plans'],
  queryFn: ({ signal }) => api.get<Plan[]>('/api/plans', undefined, signal),
  staleTime: 60 * 60_000,
})

export const useUsage = () => useQuery(usageQueryOptions)
export const usePlans = () => useQuery(plansQueryOptions)
