import { queryOptions, useQuery } from '@tanstack/react-query'
import type { Conversation } from '@/features/inbox/api/types'
import { api } from '@/lib/api-client'

export const PERIODS = ['today', '7d', '30d', '90d'] as const
export type Period = (typeof PERIODS)[number]

export type DashboardMetrics = {
  period: { from: string; to: string; timezone: string }
  messages: { received: number; sent: number; aiSent: number; humanSent: number; aiResponseRate: number }
  conversations: { active: number; waiting: number; averageWaitSeconds: number; longestWaitSeconds: number }
  contacts: { new: number; total: number }
  deals: {
    open: number
    openValue: number
    won: number
    wonValue: number
    lost: number
    conversionRate: number
    conversionBase: { won: number; created: number }
  }
  ai: { replies: number; handovers: number }
  series: { date: string; received: number; sent: number; newContacts: number }[]
  funnel: { stageId: string; stageName: string; dealCount: number; dealValue: number }[]
}

export type DashboardActivity = {
  id: string
  type: string
  actor: string
  subject: string | null
  contactId: string | null
  dealId: string | null
  createdAt: string
}

export const dashboardKeys = {
  all: ['dashboard'] as const,
  metrics: (period: Period) => ['dashboard', 'metrics', period] as const,
  activities: ['dashboard', 'activities'] as const,
  conversations: ['dashboard', 'conversations'] as const,
}

// The numbers move with every message: refresh them while the page is open.
const REFRESH_MS = 60_000

export const metricsQuery = (period: Period) =>
  queryOptions({
    queryKey: dashboardKeys.metrics(period),
    queryFn: ({ signal }) => api.get<DashboardMetrics>('/api/dashboard/metrics', { period }, signal),
    refetchInterval: REFRESH_MS,
  })

export const useDashboardMetrics = (period: Period) => useQuery(metricsQuery(period))

export const useRecentActivities = () =>
  useQuery({
    queryKey: dashboardKeys.activities,
    queryFn: ({ signal }) => api.get<DashboardActivity[]>('/api/dashboard/activities', { limit: 12 }, signal),
    refetchInterval: REFRESH_MS,
  })

export const useRecentConversations = () =>
  useQuery({
    queryKey: dashboardKeys.conversations,
    queryFn: ({ signal }) =>
      api.get<{ conversations: Conversation[]; unreadTotal: number }>('/api/dashboard/conversations/recent', { limit: 8 }, signal),
    refetchInterval: REFRESH_MS,
  })
