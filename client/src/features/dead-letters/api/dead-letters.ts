import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, apiFetch, type Envelope } from '@/lib/api-client'

// docs/api-dead-letters.md
export const DEAD_LETTER_QUEUES = ['message-worker', 'followup-worker', 'embedding-worker', 'flow-worker'] as const
export type DeadLetterQueue = (typeof DEAD_LETTER_QUEUES)[number]
export const DEAD_LETTER_STATUSES = ['DEAD', 'RETRIED', 'DISCARDED', 'ALL'] as const
export type DeadLetterStatusFilter = (typeof DEAD_LETTER_STATUSES)[number]
export type DeadLetterStatus = Exclude<DeadLetterStatusFilter, 'ALL'>

export type DeadLetterSummary = {
  id: string
  queue: string
  jobId: string | null
  jobName: string
  errorMessage: string
  errorType: string
  attempts: number
  failedAt: string
  status: DeadLetterStatus
  resolvedAt: string | null
  resolvedBy: string | null
  retryJobId: string | null
}

export type DeadLetter = DeadLetterSummary & {
  payload: Record<string, unknown>
  error: { message?: string; type?: string; stack?: string }
}

export type DeadLettersParams = { queue: DeadLetterQueue | ''; status: DeadLetterStatusFilter; page: number; limit: number }

export type DeadLettersPage = Envelope<DeadLetterSummary[]> & { countsByQueue: Record<string, number> }

export const deadLetterKeys = {
  all: ['dead-letters'] as const,
  list: (params: DeadLettersParams) => ['dead-letters', 'list', params] as const,
  one: (id: string) => ['dead-letters', 'one', id] as const,
}

export function useDeadLetters(params: DeadLettersParams) {
  return useQuery({
    queryKey: deadLetterKeys.list(params),
    queryFn: async ({ signal }) =>
      (await apiFetch<DeadLetterSummary[]>('/api/dead-letters', { query: params, signal })) as DeadLettersPage,
    placeholderData: keepPreviousData,
  })
}

export function useDeadLetter(id: string | null) {
  return useQuery({
    queryKey: deadLetterKeys.one(id ?? ''),
    queryFn: ({ signal }) => api.get<DeadLetter>(`/api/dead-letters/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: id !== null,
  })
}

function useResolve(action: 'retry' | 'discard') {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => api.post<DeadLetter>(`/api/dead-letters/${encodeURIComponent(id)}/${action}`),
    onSuccess: async (letter) => {
      queryClient.setQueryData(deadLetterKeys.one(letter.id), letter)
      await queryClient.invalidateQueries({ queryKey: [...deadLetterKeys.all, 'list'] })
    },
  })
}

export const useRetryDeadLetter = () => useResolve('retry')
export const useDiscardDeadLetter = () => useResolve('discard')
