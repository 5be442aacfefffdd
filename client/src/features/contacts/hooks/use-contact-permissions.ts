import { isCompanyAdmin, useMe } from '@/features/auth/api/me'

/**
 * What the signed-in member may do here (the API refuses the rest with 403). Until /me has
 * loaded nothing is offered, so write controls never flash up for a reader.
 */
export function useContactPermissions(): { canManage: boolean; canErase: boolean } {
  const { data: me } = useMe()
  const admin = isCompanyAdmin(me)
  return { canManage: admin || (me?.permissions.canManageContacts ?? false), canErase: admin }
}
