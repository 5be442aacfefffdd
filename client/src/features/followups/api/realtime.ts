import type { QueryClient } from '@tanstack/react-query'
import { followupKeys } from './followups'

/**
 * Socket events → cache. `followups-changed` (one per change on the server, without a payload)
 * makes every follow-up list, count and panel stale; only those on screen ask again now.
 */
export function followupRealtimeHandlers(queryClient: QueryClient) {
  return {
    'followups-changed': (): void => {
      void queryClient.invalidateQueries({ queryKey: followupKeys.all })
    },
  }
}
