import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, apiFetch } from '@/lib/api-client'
import { useAuthStore } from '@/lib/auth-store'
import type { Role } from '@/types/api'
import type { Session } from './types'

/** What anyone holding the link may see (GET /api/invitations/{token}, no session needed). */
export type InvitationPreview = {
  email: string
  companyName: string
  role: Role
  invitedBy: string
  expiresAt: string
}

export type AcceptedInvitation = { company: { id: string; name: string }; role: Role }
export type NewAccountInput = { fullName: string; password: string }
type NewAccountSession = Session & {
  user: { id: string; email: string; fullName: string; companyId: string }
  company: { id: string; name: string }
  companyId: string
}

const invitationPath = (token: string) => `/api/invitations/${encodeURIComponent(token)}`

export const invitationQueryOptions = (token: string) =>
  queryOptions({
    queryKey: ['invitation', token],
    // Public: never send (or refresh) a session for it.
    queryFn: async ({ signal }) => (await apiFetch<InvitationPreview>(invitationPath(token), { auth: false, signal })).data,
    staleTime: 60_000,
  })

export const useInvitationPreview = (token: string) => useQuery(invitationQueryOptions(token))

/** Signed in: join as yourself. The server tells the two cases apart by the Bearer token. */
export function useAcceptInvitation(token: string) {
  return useMutation({
    mutationFn: () => api.post<AcceptedInvitation>(`${invitationPath(token)}/accept`, {}),
  })
}

/** Signed out: create the invited account; the answer is a session, as after registering. */
export function useAcceptWithNewAccount(token: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: NewAccountInput) =>
      api.post<NewAccountSession>(`${invitationPath(token)}/accept`, input, { auth: false }),
    onSuccess: ({ accessToken, refreshToken }) => {
      queryClient.clear()
      useAuthStore.getState().setTokens({ accessToken, refreshToken })
    },
  })
}
