import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { useAuthStore } from '@/lib/auth-store'
import type { Session } from './types'

type SwitchResult = Session & { companyId: string }

export function useSwitchCompany() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (companyId: string) => api.post<SwitchResult>('/api/auth/switch-company', { companyId }),
    onSuccess: async ({ accessToken, refreshToken }) => {
      useAuthStore.getState().setTokens({ accessToken, refreshToken })
      // Nothing cached for the old company may be shown for the new one: drop what is not
      // on screen and reload what is, starting from an empty state.
      await queryClient.cancelQueries()
      queryClient.removeQueries({ type: 'inactive' })
      await queryClient.resetQueries()
    },
  })
}
