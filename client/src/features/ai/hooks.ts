import { isCompanyAdmin, useMe } from '@/features/auth/api/me'

/** What the signed-in person may change here (the server checks the same rules). */
export function useAiPermissions() {
  const { data: me } = useMe()
  const isAdmin = isCompanyAdmin(me)
  return { isAdmin, canManage: isAdmin || (me?.permissions.canManagePrompt ?? false) }
}
