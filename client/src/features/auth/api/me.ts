import { queryOptions, useQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { Me, MeWithCompany } from './types'

export const meQueryOptions = queryOptions({
  queryKey: ['auth', 'me'],
  queryFn: ({ signal }) => api.get<Me>('/api/auth/me', undefined, signal),
  staleTime: 5 * 60_000,
})

export const useMe = () => useQuery(meQueryOptions)

/** False for a signed-in user who belongs to no company yet (company, role, permissions are empty). */
export const hasCompany = (me: Me | undefined): me is MeWithCompany => me !== undefined && me.companyId !== null

export const isSuperAdmin = (me: Me | undefined): boolean => me?.roles.includes('SUPER_ADMIN') ?? false
export const isCompanyAdmin = (me: Me | undefined): boolean => me?.role === 'admin'
/** Team management (members and invitations): admins, or members given canManageUsers. */
export const canManageTeam = (me: Me | undefined): boolean =>
  isCompanyAdmin(me) || (me?.permissions.canManageUsers ?? false)
