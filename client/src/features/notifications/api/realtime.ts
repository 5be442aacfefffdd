import type { QueryClient } from '@tanstack/react-query'
import { addNotificationToFeed, notificationKeys, type Notification } from './notifications'

const isNotification = (payload: unknown): payload is Notification =>
  typeof payload === 'object' && payload !== null && 'id' in payload && 'title' in payload

export function notificationRealtimeHandlers(queryClient: QueryClient) {
  return {
    notification: (payload: unknown) => {
      if (isNotification(payload)) addNotificationToFeed(queryClient, payload)
      // The server's unread count stays the source of truth (another tab may have read some).
      void queryClient.invalidateQueries({ queryKey: notificationKeys.all })
    },
  }
}
