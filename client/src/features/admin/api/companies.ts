import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { apiFetch, api } from '@/lib/api-client'
import type { PlanType } from '@/types/api'

export type AdminCompany = {
  id: string
  publicId: string
  name: string
  planType: PlanType
  createdAt: string
  membersCount: number
}

export type CompaniesParams = { page: number; limit: number; search: string }

const companiesKey = ['admin', 'companies'] as const

export function useAdminCompanies(params: CompaniesParams) {
  return useQuery({
    queryKey: [...companiesKey, params],
    queryFn: ({ signal }) => apiFetch<AdminCompany[]>('/api/admin/companies', { query: params, signal }),
    // Keep the current page on screen while the next one (or a new search) loads.
    placeholderData: keepPreviousData,
  })
}

export function useChangeCompanyPlan() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ id, planType }: { id: string; planType: PlanType }) =>
      api.patch<AdminCompany>(`/api/admin/companies/${encodeURIComponent(id)}/plan`, { planType }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: companiesKey })
      // The super admin's own company may be the one that changed.
      await queryClient.invalidateQueries({ queryKey: ['company', 'usage'] })
      await queryClient.invalidateQueries({ queryKey: ['auth', 'me'] })
    },
  })
}
