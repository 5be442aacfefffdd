import { isCompanyAdmin } from '@/features/auth/api/me'
import type { Me } from '@/features/auth/api/types'

/** Changing flows takes canManageFlows (admins have every permission); the server refuses others (403). */
export const canManageFlows = (me: Me | undefined): boolean =>
  isCompanyAdmin(me) || (me?.permissions as Partial<Record<string, boolean>> | undefined)?.canManageFlows === true
