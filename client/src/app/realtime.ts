import { useEffect } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { contactKeys } from '@/features/contacts/api/keys'
import { contactsRealtimeHandlers } from '@/features/contacts/api/realtime'
import { dealKeys, funnelKeys } from '@/features/funnels/api/keys'
import { funnelRealtimeHandlers } from '@/features/funnels/api/realtime'
import { followupKeys } from '@/features/followups/api/followups'
import { followupRealtimeHandlers } from '@/features/followups/api/realtime'
import { notificationKeys } from '@/features/notifications/api/notifications'
import { notificationRealtimeHandlers } from '@/features/notifications/api/realtime'
import { inboxKeys } from '@/features/inbox/api/keys'
import { inboxRealtimeHandlers } from '@/features/inbox/api/realtime'
import { whatsappKeys } from '@/features/whatsapp/api/credentials'
import { whatsappRealtimeHandlers } from '@/features/whatsapp/api/realtime'
import { connectRealtime } from '@/lib/socket'

/** Keeps a Socket.IO connection open while the signed-in shell is mounted. */
export function useRealtime(): void {
  const queryClient = useQueryClient()
  useEffect(
    () =>
      connectRealtime({
        events: {
          ...notificationRealtimeHandlers(queryClient),
          ...whatsappRealtimeHandlers(queryClient),
          ...inboxRealtimeHandlers(queryClient),
          ...funnelRealtimeHandlers(queryClient),
          ...contactsRealtimeHandlers(queryClient),
          ...followupRealtimeHandlers(queryClient),
        },
        // Events missed while disconnected are not replayed: refetch what is cached (only
        // the queries on screen refetch now; the rest when next used).
        onConnect: () => {
          void queryClient.invalidateQueries({ queryKey: notificationKeys.all })
          void queryClient.invalidateQueries({ queryKey: whatsappKeys.instances })
          void queryClient.invalidateQueries({ queryKey: inboxKeys.all })
          void queryClient.invalidateQueries({ queryKey: funnelKeys.all })
          void queryClient.invalidateQueries({ queryKey: dealKeys.all })
          void queryClient.invalidateQueries({ queryKey: contactKeys.all })
          void queryClient.invalidateQueries({ queryKey: followupKeys.all })
        },
      }),
    [queryClient],
  )
}
