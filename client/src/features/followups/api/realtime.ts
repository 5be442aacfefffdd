import type { QueryClient } from '@tanstack/react-query'
import { followupKeys } from './followups'

/** Every message we send moves a NO_RESPONSE follow-up: a busy team would refetch on each one. */
export const REFRESH_AT_MOST_EVERY_MS = 2_000

/**
 * Socket events → cache. `followups-changed` (one per change on the server, without a payload)
 * makes every follow-up list, count and panel stale (only those on screen ask again), at most once
 * per REFRESH_AT_MOST_EVERY_MS: a burst ends in one refresh, after its last event at the latest.
 */
export function followupRealtimeHandlers(queryClient: QueryClient) {
  let last = -Infinity
  let pending: ReturnType<typeof setTimeout> | undefined
  const refresh = () => {
    last = Date.now()
    pending = undefined
    void queryClient.invalidateQueries({ queryKey: followupKeys.all })
  }
  return {
    'followups-changed': (): void => {
      if (pending !== undefined) return
      const wait = last + REFRESH_AT_MOST_EVERY_MS - Date.now()
      if (wait <= 0) refresh()
      else pending = setTimeout(refresh, wait)
    },
  }
}
