import { queryOptions, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { api, apiFetch } from '@/lib/api-client'

export type Notification = {
  id: string
  type: string
  title: string
  body: string | null
  data: Record<string, unknown> | null
  readAt: string | null
  createdAt: string
}

export type NotificationFeed = { items: Notification[]; unreadCount: number }

const PAGE_SIZE = 20

export const notificationKeys = { all: ['notifications'] as const, feed: ['notifications', 'feed'] as const }

export const notificationFeedQueryOptions = queryOptions({
  queryKey: notificationKeys.feed,
  queryFn: async ({ signal }): Promise<NotificationFeed> => {
    const envelope = await apiFetch<Notification[]>('/api/notifications', { query: { page: 1, limit: PAGE_SIZE }, signal })
    return {
      items: envelope.data,
      unreadCount: envelope.unreadCount ?? envelope.data.filter((item) => !item.readAt).length,
    }
  },
  // The socket pushes new ones; polling only covers a socket that cannot connect.
  refetchInterval: 60_000,
})

export const useNotificationFeed = () => useQuery(notificationFeedQueryOptions)

/** Puts a pushed notification at the top of the cached feed (idempotent by id). */
export function addNotificationToFeed(queryClient: QueryClient, notification: Notification): void {
  queryClient.setQueryData<NotificationFeed>(notificationKeys.feed, (feed) => {
    if (!feed) return feed
    if (feed.items.some((item) => item.id === notification.id)) return feed
    return {
      items: [notification, ...feed.items].slice(0, PAGE_SIZE),
      unreadCount: feed.unreadCount + (notification.readAt ? 0 : 1),
    }
  })
}

/** `id` null marks every notification as read. */
function markReadInFeed(queryClient: QueryClient, id: string | null): void {
  const now = new Date().toISOString()
  queryClient.setQueryData<NotificationFeed>(notificationKeys.feed, (feed) => {
    if (!feed) return feed
    const items = feed.items.map((item) => (!item.readAt && (id === null || item.id === id) ? { ...item, readAt: now } : item))
    const newlyRead = feed.items.filter((item, index) => !item.readAt && items[index].readAt).length
    return { items, unreadCount: id === null ? 0 : Math.max(0, feed.unreadCount - newlyRead) }
  })
}

export function useMarkNotificationRead() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => api.post(`/api/notifications/${encodeURIComponent(id)}/read`),
    onMutate: (id) => markReadInFeed(queryClient, id),
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  })
}

export function useMarkAllNotificationsRead() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () => api.post('/api/notifications/read-all'),
    onMutate: () => markReadInFeed(queryClient, null),
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  })
}
