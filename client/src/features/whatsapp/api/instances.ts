import { queryOptions, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { whatsappKeys } from './credentials'
import type { CheckResult, ConnectResult, Instance, InstanceDetail, Provider } from './types'

export const instancesQueryOptions = queryOptions({
  queryKey: whatsappKeys.instances,
  queryFn: ({ signal }) => api.get<Instance[]>('/api/whatsapp/instances', undefined, signal),
})

export const useInstances = () => useQuery(instancesQueryOptions)

export const instanceQueryOptions = (id: string) =>
  queryOptions({
    queryKey: whatsappKeys.instance(id),
    queryFn: ({ signal }) => api.get<InstanceDetail>(`/api/whatsapp/instances/${encodeURIComponent(id)}`, undefined, signal),
  })

export const useInstance = (id: string, { enabled = true }: { enabled?: boolean } = {}) =>
  useQuery({ ...instanceQueryOptions(id), enabled })

/** Merges what we learnt about an instance into the list and its detail (keeping the webhook). */
export function patchInstance(queryClient: QueryClient, id: string, changes: Partial<Instance>): void {
  queryClient.setQueryData<Instance[]>(whatsappKeys.instances, (list) =>
    list?.map((item) => (item.id === id ? { ...item, ...changes } : item)),
  )
  queryClient.setQueryData<InstanceDetail>(whatsappKeys.instance(id), (detail) => (detail ? { ...detail, ...changes } : detail))
}

export function useCreateInstance() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: { instanceName: string; provider: Provider }) => api.post<Instance>('/api/whatsapp/instances', input),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: whatsappKeys.instances })
      // The plan usage meter counts instances.
      await queryClient.invalidateQueries({ queryKey: ['company', 'usage'] })
    },
  })
}

export function useDeleteInstance() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/whatsapp/instances/${encodeURIComponent(id)}`),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: whatsappKeys.instances })
      await queryClient.invalidateQueries({ queryKey: ['company', 'usage'] })
    },
  })
}

export function useConnectInstance(id: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (phoneNumber?: string) =>
      api.post<ConnectResult>(`/api/whatsapp/instances/${encodeURIComponent(id)}/connect`, phoneNumber ? { phoneNumber } : {}),
    // The dialog reads the instance from the cache, which the socket keeps current from here on.
    onSuccess: (result) =>
      patchInstance(queryClient, id, {
        qrCode: result.qrcode,
        pairingCode: result.pairingCode,
        connectionStatus: result.status,
        isConnected: result.status === 'open',
      }),
  })
}

export function useCheckInstance(id: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () => api.post<CheckResult>(`/api/whatsapp/instances/${encodeURIComponent(id)}/check`),
    onSuccess: (result) =>
      patchInstance(queryClient, id, {
        isConnected: result.isConnected,
        connectionStatus: result.connectionStatus,
        phoneNumber: result.phoneNumber,
      }),
  })
}
