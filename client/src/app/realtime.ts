import { useEffect } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { notificationKeys } from '@/features/notifications/api/notifications'
import { notificationRealtimeHandlers } from '@/features/notifications/api/realtime'
import { connectRealtime } from '@/lib/socket'

/** Keeps a Socket.IO connection open while the signed-in shell is mounted. */
export function useRealtime(): void {
  const queryClient = useQueryClient()
  useEffect(
    () =>
      connectRealtime({
        events: { ...notificationRealtimeHandlers(queryClient) },
        onConnect: () => void queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
      }),
    [queryClient],
  )
}
