import type { QueryClient } from '@tanstack/react-query'
import { onSessionExpired } from '@/lib/api-client'
import { onTokensChangedElsewhere } from '@/lib/auth-store'
import { translate, useLocaleStore } from '@/lib/i18n'
import { queryClient as appQueryClient, restartQueries } from '@/lib/query-client'
import { sessionIdentity } from '@/lib/session-identity'
import { toast } from '@/lib/toast'

/**
 * What happens when the session changes under the app. A refused refresh token: the guard
 * redirects (tokens are gone). Another tab signing out, signing in as someone else or switching
 * company: this tab's cache belongs to the old session. A mere refresh there keeps it.
 * Returns the function that removes the handlers (for tests).
 */
export function installSessionHandlers(queryClient: QueryClient = appQueryClient): () => void {
  onSessionExpired(() => {
    queryClient.clear()
    toast(translate(useLocaleStore.getState().locale, 'errors.sessionExpired'), 'error')
  })
  const stopListening = onTokensChangedElsewhere((previous, next) => {
    if (next.accessToken === null) queryClient.clear()
    else if (sessionIdentity(previous.accessToken) !== sessionIdentity(next.accessToken)) void restartQueries(queryClient)
  })
  return () => {
    onSessionExpired(() => {})
    stopListening()
  }
}
