import { QueryClient } from '@tanstack/react-query'
import { describe, expect, it } from 'vitest'
import { notificationKeys, type Notification, type NotificationFeed } from './notifications'
import { notificationRealtimeHandlers } from './realtime'

const welcome: Notification = {
  id: 'n1',
  type: 'welcome',
  title: 'Bem-vindo',
  body: null,
  data: null,
  readAt: null,
  createdAt: '2026-01-01T00:00:00Z',
}

describe('notification realtime handler', () => {
  it('adds a pushed notification to the cached feed once and bumps the unread count', () => {
    const queryClient = new QueryClient()
    queryClient.setQueryData<NotificationFeed>(notificationKeys.feed, { items: [], unreadCount: 0 })
    const handlers = notificationRealtimeHandlers(queryClient)

    handlers.notification(welcome)
    handlers.notification(welcome)
    handlers.notification({ unexpected: true })

    expect(queryClient.getQueryData(notificationKeys.feed)).toEqual({ items: [welcome], unreadCount: 1 })
  })
})
