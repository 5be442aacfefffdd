import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { Permissions, Role } from '@/types/api'

export type Member = {
  id: string
  userId: string
  email: string
  fullName: string
  role: Role
  permissions: Permissions
  createdAt: string
}

export type UpdateMemberInput = { id: string; role?: Role; permissions?: Permissions }

const membersKey = ['company', 'members'] as const

export const membersQueryOptions = queryOptions({
  queryKey: membersKey,
  queryFn: ({ signal }) => api.get<Member[]>('/api/company/members', undefined, signal),
})

export const useMembers = () => useQuery(membersQueryOptions)

function useInvalidateMembers() {
  const queryClient = useQueryClient()
  return () => queryClient.invalidateQueries({ queryKey: membersKey })
}

export function useUpdateMember() {
  const invalidate = useInvalidateMembers()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ id, ...changes }: UpdateMemberInput) =>
      api.patch<Member>(`/api/company/members/${encodeURIComponent(id)}`, changes),
    onSuccess: async () => {
      await invalidate()
      // Editing yourself changes your own role/permissions.
      await queryClient.invalidateQueries({ queryKey: ['auth', 'me'] })
    },
  })
}

export function useRemoveMember() {
  const invalidate = useInvalidateMembers()
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/company/members/${encodeURIComponent(id)}`),
    onSuccess: invalidate,
  })
}
