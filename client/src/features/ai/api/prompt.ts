import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { instancePath } from './instances'
import { aiKeys } from './keys'
import type { PreviewResult, PromptView } from './types'

export const promptQueryOptions = (instanceId: string) =>
  queryOptions({
    queryKey: aiKeys.prompt(instanceId),
    queryFn: ({ signal }) => api.get<PromptView>(instancePath(instanceId, 'prompt'), undefined, signal),
  })

export const usePrompt = (instanceId: string) => useQuery(promptQueryOptions(instanceId))

function useStorePrompt(instanceId: string) {
  const queryClient = useQueryClient()
  return (view: PromptView) => {
    queryClient.setQueryData(aiKeys.prompt(instanceId), view)
    // The list shows each instance's version number.
    void queryClient.invalidateQueries({ queryKey: aiKeys.instances })
  }
}

/** Every save is a new version; the answer is the whole prompt view. */
export function useSavePrompt(instanceId: string) {
  const store = useStorePrompt(instanceId)
  return useMutation({
    mutationFn: (input: { content: string; source?: 'manual' | 'generated' }) =>
      api.post<PromptView>(instancePath(instanceId, 'prompt'), input),
    onSuccess: store,
  })
}

export function useRestorePrompt(instanceId: string) {
  const store = useStorePrompt(instanceId)
  return useMutation({
    mutationFn: (version: number) => api.post<PromptView>(instancePath(instanceId, `prompt/versions/${version}/restore`)),
    onSuccess: store,
  })
}

/** "Testar assistente": nothing is sent; a draft prompt may be tried before it is saved. */
export function usePreview(instanceId: string) {
  return useMutation({
    mutationFn: (input: { message: string; prompt?: string }) =>
      api.post<PreviewResult>(instancePath(instanceId, 'preview'), input),
  })
}
