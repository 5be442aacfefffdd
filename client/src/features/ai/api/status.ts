import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { apiFetch, api } from '@/lib/api-client'
import { aiKeys } from './keys'
import type { AiStatus, AiUsage } from './types'

export const aiStatusQueryOptions = queryOptions({
  queryKey: aiKeys.status,
  queryFn: ({ signal }) => api.get<AiStatus>('/api/ai/status', undefined, signal),
  staleTime: 30_000,
})

export const aiUsageQueryOptions = queryOptions({
  queryKey: aiKeys.usage,
  queryFn: ({ signal }) => api.get<AiUsage>('/api/ai/usage', undefined, signal),
})

export const useAiStatus = () => useQuery(aiStatusQueryOptions)
export const useAiUsage = () => useQuery(aiUsageQueryOptions)

export type CompanyKeyInput = { apiKey: string; model?: string }

/** Saving or removing the key answers with the new status. */
export function useSaveCompanyKey() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async (input: CompanyKeyInput) =>
      (await apiFetch<AiStatus>('/api/ai/company-key', { method: 'PUT', body: input })).data,
    onSuccess: (status) => queryClient.setQueryData(aiKeys.status, status),
  })
}

export function useDeleteCompanyKey() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () => api.delete<AiStatus>('/api/ai/company-key'),
    onSuccess: (status) => queryClient.setQueryData(aiKeys.status, status),
  })
}
