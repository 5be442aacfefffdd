import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, apiFetch, ApiError, type Envelope } from '@/lib/api-client'
import type {
  Execution,
  ExecutionStatus,
  Flow,
  FlowBody,
  FlowSummary,
  InvalidFlowDetail,
  NodeTypeInfo,
  TestRunInput,
  TestRunResult,
} from './types'

// docs/api-flows.md
const BASE = '/api/flows'
const flowUrl = (id: string) => `${BASE}/${encodeURIComponent(id)}`
const executionUrl = (id: string) => `${BASE}/executions/${encodeURIComponent(id)}`

export type ExecutionsParams = { status: ExecutionStatus | ''; page: number; limit: number }

export const flowKeys = {
  all: ['flows'] as const,
  list: ['flows', 'list'] as const,
  one: (id: string) => ['flows', 'one', id] as const,
  nodeTypes: ['flows', 'node-types'] as const,
  executions: (flowId: string) => ['flows', 'executions', flowId] as const,
  executionList: (flowId: string, params: ExecutionsParams) => ['flows', 'executions', flowId, params] as const,
  execution: (id: string) => ['flows', 'execution', id] as const,
  contacts: (search: string) => ['flows', 'contacts', search] as const,
}

/** There are no live events for flow runs: what shows them asks again while it is on screen. */
const POLL_MS = 15_000
const RUNNING_POLL_MS = 3_000
// WAITING may last days (a wait step, an answer awaited): only RUNNING is worth asking often.
const isRunning = (execution: Pick<Execution, 'status'> | undefined) => execution?.status === 'RUNNING'

export const flowsQueryOptions = queryOptions({
  queryKey: flowKeys.list,
  queryFn: ({ signal }) => api.get<FlowSummary[]>(BASE, undefined, signal),
  // Run counts and last runs change with every customer: fresh on each visit, then polled.
  staleTime: 0,
  refetchInterval: POLL_MS,
})

export const useFlows = () => useQuery(flowsQueryOptions)

export const flowQueryOptions = (id: string) =>
  queryOptions({ queryKey: flowKeys.one(id), queryFn: ({ signal }) => api.get<Flow>(flowUrl(id), undefined, signal) })

export const useFlow = (id: string | undefined) => useQuery({ ...flowQueryOptions(id ?? ''), enabled: id !== undefined })

/**
 * The palette's subtypes as the server lists them; null when the endpoint is missing or
 * answers something unexpected (the client's own catalogue is used then).
 */
export const useNodeTypes = () =>
  useQuery({
    queryKey: flowKeys.nodeTypes,
    queryFn: async ({ signal }): Promise<NodeTypeInfo[] | null> => {
      try {
        const data = await api.get<unknown>(`${BASE}/node-types`, undefined, signal)
        const list = Array.isArray(data) ? data : null
        return list?.filter((item): item is NodeTypeInfo => typeof (item as NodeTypeInfo | null)?.subtype === 'string') ?? null
      } catch (error) {
        if (error instanceof ApiError && error.status !== 0 && error.status < 500) return null
        throw error
      }
    },
    staleTime: Infinity,
    retry: false,
  })

function useInvalidateFlows() {
  const queryClient = useQueryClient()
  return () => queryClient.invalidateQueries({ queryKey: flowKeys.list })
}

export function useSaveFlow() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async ({ id, body }: { id?: string; body: FlowBody }) =>
      id
        ? (await apiFetch<Flow>(flowUrl(id), { method: 'PUT', body })).data
        : api.post<Flow>(BASE, { ...body, isActive: false }),
    onSuccess: async (flow) => {
      queryClient.setQueryData(flowKeys.one(flow.id), flow)
      await queryClient.invalidateQueries({ queryKey: flowKeys.list })
    },
  })
}

export function useToggleFlow() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ id, isActive }: { id: string; isActive: boolean }) => api.post<Flow>(`${flowUrl(id)}/toggle`, { isActive }),
    onSuccess: async (flow) => {
      queryClient.setQueryData<FlowSummary[]>(flowKeys.list, (list) =>
        list?.map((item) => (item.id === flow.id ? { ...item, isActive: flow.isActive } : item)),
      )
      queryClient.setQueryData<Flow>(flowKeys.one(flow.id), (current) => (current ? { ...current, isActive: flow.isActive } : current))
      await queryClient.invalidateQueries({ queryKey: flowKeys.list })
    },
  })
}

export function useDuplicateFlow() {
  const invalidate = useInvalidateFlows()
  return useMutation({ mutationFn: (id: string) => api.post<Flow>(`${flowUrl(id)}/duplicate`), onSuccess: invalidate })
}

export function useDeleteFlow() {
  const invalidate = useInvalidateFlows()
  return useMutation({ mutationFn: (id: string) => api.delete(flowUrl(id)), onSuccess: invalidate })
}

export function useTestFlow(id: string) {
  return useMutation({ mutationFn: (input: TestRunInput) => api.post<TestRunResult>(`${flowUrl(id)}/test`, input) })
}

export function useExecutions(flowId: string, params: ExecutionsParams) {
  return useQuery({
    queryKey: flowKeys.executionList(flowId, params),
    queryFn: ({ signal }): Promise<Envelope<Execution[]>> =>
      apiFetch<Execution[]>(`${flowUrl(flowId)}/executions`, { query: params, signal }),
    placeholderData: keepPreviousData,
    staleTime: 0,
    refetchInterval: (query) => (query.state.data?.data.some(isRunning) ? RUNNING_POLL_MS : POLL_MS),
  })
}

export function useExecution(id: string | null) {
  return useQuery({
    queryKey: flowKeys.execution(id ?? ''),
    queryFn: ({ signal }) => api.get<Execution>(executionUrl(id ?? ''), undefined, signal),
    enabled: id !== null,
    refetchInterval: (query) => (isRunning(query.state.data) ? RUNNING_POLL_MS : false),
  })
}

export function useCancelExecution() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => api.post<Execution>(`${executionUrl(id)}/cancel`),
    onSuccess: async (execution) => {
      queryClient.setQueryData<Execution>(flowKeys.execution(execution.id), (current) =>
        current ? { ...current, ...execution, path: execution.path ?? current.path } : execution,
      )
      await queryClient.invalidateQueries({ queryKey: flowKeys.executions(execution.flowId) })
    },
  })
}

export type ContactChoice = { id: string; displayName: string; phoneNumber: string | null }

/** The test panel's contact picker (GET /api/contacts?search=). */
export const useContactChoices = (search: string) =>
  useQuery({
    queryKey: flowKeys.contacts(search),
    queryFn: async ({ signal }) =>
      (await api.get<{ contacts: ContactChoice[] }>('/api/contacts', { search, limit: 8 }, signal)).contacts,
    enabled: search.trim().length > 0,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  })

/** The details of a 422 `invalid_flow` answer, or null for any other error. */
export function invalidFlowDetails(error: unknown): InvalidFlowDetail[] | null {
  if (!(error instanceof ApiError) || error.status !== 422 || error.code !== 'invalid_flow') return null
  return (error.details as unknown[]).flatMap((raw) => {
    if (typeof raw !== 'object' || raw === null) return []
    const item = raw as Record<string, unknown>
    const message = typeof item.message === 'string' ? item.message : ''
    return [
      {
        nodeId: typeof item.nodeId === 'string' ? item.nodeId : undefined,
        connectionId: typeof item.connectionId === 'string' ? item.connectionId : undefined,
        message,
      },
    ]
  })
}
