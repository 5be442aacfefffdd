import { onSessionExpired } from '@/lib/api-client'
import { translate, useLocaleStore } from '@/lib/i18n'
import { queryClient } from '@/lib/query-client'
import { toast } from '@/lib/toast'

/** What happens when the refresh token is refused: the guard redirects (tokens are gone). */
export function installSessionHandlers(): void {
  onSessionExpired(() => {
    queryClient.clear()
    toast(translate(useLocaleStore.getState().locale, 'errors.sessionExpired'), 'error')
  })
}
