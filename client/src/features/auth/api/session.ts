import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { useAuthStore } from '@/lib/auth-store'
import type { Session } from './types'

export type LoginInput = { email: string; password: string }
export type RegisterInput = LoginInput & { fullName: string; companyName: string }

const startSession = (session: Session) =>
  useAuthStore.getState().setTokens({ accessToken: session.accessToken, refreshToken: session.refreshToken })

export function useLogin() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: LoginInput) => api.post<Session>('/api/auth/login', input, { auth: false }),
    onSuccess: (session) => {
      queryClient.clear()
      startSession(session)
    },
  })
}

export function useRegister() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: RegisterInput) => api.post<Session>('/api/auth/register', input, { auth: false }),
    onSuccess: (session) => {
      queryClient.clear()
      startSession(session)
    },
  })
}

export function useLogout() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async () => {
      const { refreshToken } = useAuthStore.getState()
      // Revoking the refresh token is best effort: the user leaves either way.
      await api.post('/api/auth/logout', { token: refreshToken ?? undefined }).catch(() => undefined)
    },
    onSettled: () => {
      useAuthStore.getState().clearTokens()
      queryClient.clear()
    },
  })
}
