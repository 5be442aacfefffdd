import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { api, apiFetch } from '@/lib/api-client'
import type {
  DashboardMetrics,
  Followup,
  FollowupStatus,
  Holiday,
  Lead,
  Rule,
  RuleInput,
  ScheduleInput,
  Scheduled,
} from './types'

// docs/api-followups.md
const BASE = '/api/followups'
const rulePath = (id: string) => `${BASE}/rules/${encodeURIComponent(id)}`

export type PendingParams = { conversationId?: string; ruleId?: string; page?: number; limit?: number }
export type HistoryParams = { status?: FollowupStatus | ''; ruleId?: string; conversationId?: string; limit?: number }
export type LeadsParams = { status?: FollowupStatus | ''; ruleId?: string; limit?: number }

export const followupKeys = {
  all: ['followups'] as const,
  rules: ['followups', 'rules'] as const,
  pending: (params: PendingParams) => ['followups', 'pending', params] as const,
  pendingAll: ['followups', 'pending'] as const,
  history: (params: HistoryParams) => ['followups', 'history', params] as const,
  leads: (params: LeadsParams) => ['followups', 'leads', params] as const,
  metrics: (days: number) => ['followups', 'metrics', days] as const,
  holidays: ['followups', 'holidays'] as const,
}

/**
 * Lists follow `followups-changed` (api/realtime.ts). The slow poll is for what no event announces:
 * time passing (a queued follow-up's "due in" as the clock moves).
 */
const POLL_MS = 60_000

export const useRules = () =>
  useQuery({ queryKey: followupKeys.rules, queryFn: ({ signal }) => api.get<Rule[]>(`${BASE}/rules`, undefined, signal) })

export const usePending = (params: PendingParams, { enabled = true }: { enabled?: boolean } = {}) =>
  useQuery({
    queryKey: followupKeys.pending(params),
    queryFn: ({ signal }) => apiFetch<Followup[]>(`${BASE}/pending`, { query: params, signal }),
    placeholderData: keepPreviousData,
    refetchInterval: POLL_MS,
    enabled,
  })

export const useHistory = (params: HistoryParams) =>
  useQuery({
    queryKey: followupKeys.history(params),
    queryFn: ({ signal }) => api.get<Followup[]>(`${BASE}/history`, params, signal),
    placeholderData: keepPreviousData,
  })

export const useLeads = (params: LeadsParams) =>
  useQuery({
    queryKey: followupKeys.leads(params),
    queryFn: ({ signal }) => api.get<Lead[]>(`${BASE}/leads-in-automation`, params, signal),
    placeholderData: keepPreviousData,
    refetchInterval: POLL_MS,
  })

export const useDashboardMetrics = (days: number) =>
  useQuery({
    queryKey: followupKeys.metrics(days),
    queryFn: ({ signal }) => api.get<DashboardMetrics>(`${BASE}/dashboard-metrics`, { days }, signal),
    placeholderData: keepPreviousData,
  })

export const useHolidays = () =>
  useQuery({ queryKey: followupKeys.holidays, queryFn: ({ signal }) => api.get<Holiday[]>(`${BASE}/holidays`, undefined, signal) })

/** Any change to a rule or a follow-up moves counts everywhere (stats, queue, history, metrics). */
const refreshAll = (queryClient: QueryClient) => queryClient.invalidateQueries({ queryKey: followupKeys.all })

export function useSaveRule() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ id, input }: { id?: string; input: RuleInput }) =>
      id
        ? apiFetch<Rule>(rulePath(id), { method: 'PUT', body: input }).then((envelope) => envelope.data)
        : api.post<Rule>(`${BASE}/rules`, input),
    onSuccess: () => refreshAll(queryClient),
  })
}

export function useToggleRule() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => api.post<Rule>(`${rulePath(id)}/toggle`),
    onSuccess: (rule) => {
      // The answer's stats are zeros: keep the list's own until it is fetched again.
      queryClient.setQueryData<Rule[]>(followupKeys.rules, (rules) =>
        rules?.map((item) => (item.id === rule.id ? { ...item, isActive: rule.isActive } : item)),
      )
      return refreshAll(queryClient)
    },
  })
}

export function useDeleteRule() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => api.delete<{ cancelledFollowups: number }>(rulePath(id)),
    onSuccess: () => refreshAll(queryClient),
  })
}

export function useCancelFollowup() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => api.post<undefined>(`${BASE}/cancel/${encodeURIComponent(id)}`, {}),
    // A 409 (no longer pending) also means the list is stale.
    onSettled: () => refreshAll(queryClient),
  })
}

export function useScheduleFollowup() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: ScheduleInput) => api.post<Scheduled>(`${BASE}/schedule`, input),
    onSuccess: () => refreshAll(queryClient),
  })
}

export function useAddHoliday() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: { date: string; name: string }) => api.post<Holiday>(`${BASE}/holidays`, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: followupKeys.holidays }),
  })
}

export function useRemoveHoliday() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => api.delete(`${BASE}/holidays/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: followupKeys.holidays }),
  })
}
