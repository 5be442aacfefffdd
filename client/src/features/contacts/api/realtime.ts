import type { QueryClient } from '@tanstack/react-query'
import { contactKeys } from './keys'

const idOf = (payload: unknown): string | null | undefined => {
  const id = typeof payload === 'object' && payload !== null ? (payload as { id?: unknown }).id : undefined
  return typeof id === 'string' || id === null ? id : undefined
}

/**
 * Socket events → cache. `contact-updated` carries only the id, so what is cached for that
 * contact is refetched (only the queries on screen go to the server now); after a delete or an
 * erasure that refetch is a 404 and the page says so. `{id: null}` follows an import or a bulk
 * tag change of more than 100 contacts: every list (and the tags' counts) is stale.
 * To be registered in app/realtime.ts next to the inbox's handlers.
 */
export function contactsRealtimeHandlers(queryClient: QueryClient) {
  return {
    'contact-updated': (payload: unknown) => {
      const id = idOf(payload)
      if (id === undefined) return
      if (id === null) {
        void queryClient.invalidateQueries({ queryKey: contactKeys.lists })
        void queryClient.invalidateQueries({ queryKey: contactKeys.tags })
        void queryClient.invalidateQueries({ queryKey: contactKeys.details })
        return
      }
      void queryClient.invalidateQueries({ queryKey: contactKeys.detail(id) })
      void queryClient.invalidateQueries({ queryKey: contactKeys.timeline(id) })
      void queryClient.invalidateQueries({ queryKey: contactKeys.notes(id) })
      void queryClient.invalidateQueries({ queryKey: contactKeys.lists })
    },
  }
}
