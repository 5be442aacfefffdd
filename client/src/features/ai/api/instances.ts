import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { aiKeys } from './keys'
import type { AiInstanceSettings, AiSettingsChanges } from './types'

export const instancePath = (id: string, action?: string) =>
  `/api/ai/instances/${encodeURIComponent(id)}${action ? `/${action}` : ''}`

export const aiInstancesQueryOptions = queryOptions({
  queryKey: aiKeys.instances,
  queryFn: ({ signal }) => api.get<AiInstanceSettings[]>('/api/ai/instances', undefined, signal),
})

export const aiInstanceQueryOptions = (id: string) =>
  queryOptions({
    queryKey: aiKeys.instance(id),
    queryFn: ({ signal }) => api.get<AiInstanceSettings>(instancePath(id), undefined, signal),
  })

export const useAiInstances = () => useQuery(aiInstancesQueryOptions)
export const useAiInstance = (id: string) => useQuery(aiInstanceQueryOptions(id))

/** Writes the answer into the list and the instance's own entry, so every switch shows it at once. */
export function useUpdateAiInstance() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: AiSettingsChanges }) =>
      api.patch<AiInstanceSettings>(instancePath(id), changes),
    onSuccess: (saved) => {
      queryClient.setQueryData(aiKeys.instance(saved.instanceId), saved)
      queryClient.setQueryData<AiInstanceSettings[]>(aiKeys.instances, (list) =>
        list?.map((item) => (item.instanceId === saved.instanceId ? saved : item)),
      )
    },
  })
}
