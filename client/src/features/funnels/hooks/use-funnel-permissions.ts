import { useMe } from '@/features/auth/api/me'

/** What the signed-in member may do here; the API enforces the same rules (403 otherwise). */
export function useFunnelPermissions() {
  const { data: me } = useMe()
  const isAdmin = me?.role === 'admin'
  return {
    /** Create, edit, move, annotate and delete deals. */
    canEditDeals: isAdmin || me?.permissions.canManageContacts === true,
    /** Funnels, stages and WIP limits. */
    canManageFunnels: isAdmin || me?.role === 'coordinator',
    canReopen: isAdmin,
  }
}
