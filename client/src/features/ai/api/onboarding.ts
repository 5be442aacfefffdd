import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { aiKeys } from './keys'
import type { GeneratedPrompt, Onboarding, OnboardingSave } from './types'

const onboardingPath = (instanceId: string) => `/api/ai/onboarding/${encodeURIComponent(instanceId)}`

export const onboardingQueryOptions = (instanceId: string) =>
  queryOptions({
    queryKey: aiKeys.onboarding(instanceId),
    queryFn: ({ signal }) => api.get<Onboarding>(onboardingPath(instanceId), undefined, signal),
  })

export const useOnboarding = (instanceId: string) => useQuery(onboardingQueryOptions(instanceId))

/** The server merges what is sent into what was saved, so each step sends only its own answers. */
export function useSaveOnboarding(instanceId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: OnboardingSave) => api.post<Onboarding>(onboardingPath(instanceId), input),
    onSuccess: (saved) => {
      queryClient.setQueryData(aiKeys.onboarding(instanceId), saved)
      void queryClient.invalidateQueries({ queryKey: aiKeys.instances })
    },
  })
}

/** Builds a prompt from the saved answers (nothing is stored). */
export function useGeneratePrompt(instanceId: string) {
  return useMutation({
    mutationFn: () => api.post<GeneratedPrompt>('/api/ai/onboarding/generate', { instanceId }),
  })
}
