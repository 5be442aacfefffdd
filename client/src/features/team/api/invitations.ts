import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { Permissions, Role } from '@/types/api'

export type Invitation = {
  id: string
  email: string
  role: Role
  permissions: Permissions
  invitedBy: { id: string; fullName: string } | null
  expiresAt: string
  createdAt: string
}

/** The answer to a new invitation: the only time the token and its link are ever sent. */
export type CreatedInvitation = Invitation & { token: string; inviteUrl: string }

export type CreateInvitationInput = { email: string; role: Role; permissions?: Partial<Permissions> }

const invitationsKey = ['company', 'invitations'] as const

export const invitationsQueryOptions = queryOptions({
  queryKey: invitationsKey,
  queryFn: ({ signal }) => api.get<Invitation[]>('/api/company/invitations', undefined, signal),
})

/** Managers only: the API answers 403 to everyone else, so pass `enabled: false` for them. */
export const useInvitations = ({ enabled }: { enabled: boolean }) => useQuery({ ...invitationsQueryOptions, enabled })

function useInvalidateTeam() {
  const queryClient = useQueryClient()
  // A 409 ("already a member") may mean the members list on screen is stale as well.
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: invitationsKey }),
      queryClient.invalidateQueries({ queryKey: ['company', 'members'] }),
    ])
}

export function useCreateInvitation() {
  const invalidate = useInvalidateTeam()
  return useMutation({
    mutationFn: (input: CreateInvitationInput) => api.post<CreatedInvitation>('/api/company/invitations', input),
    onSettled: invalidate,
  })
}

export function useRevokeInvitation() {
  const invalidate = useInvalidateTeam()
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/company/invitations/${encodeURIComponent(id)}`),
    onSettled: invalidate,
  })
}
