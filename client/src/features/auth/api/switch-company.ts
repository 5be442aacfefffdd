import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { useAuthStore } from '@/lib/auth-store'
import { restartQueries } from '@/lib/query-client'
import type { Session } from './types'

type SwitchResult = Session & { companyId: string }

export function useSwitchCompany() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (companyId: string) => api.post<SwitchResult>('/api/auth/switch-company', { companyId }),
    onSuccess: async ({ accessToken, refreshToken }) => {
      useAuthStore.getState().setTokens({ accessToken, refreshToken })
      // Nothing cached for the old company may be shown for the new one.
      await restartQueries(queryClient)
    },
  })
}
