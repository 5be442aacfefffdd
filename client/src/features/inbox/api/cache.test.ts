import { QueryClient } from '@tanstack/react-query'
import { describe, expect, it } from 'vitest'
import { conversationPage, makeConversation, makeMessage, messagePage } from '../test-fixtures'
import { flattenMessages, laterStatus, matchesFilters, type ConversationsData, type MessagesData } from './cache'
import { inboxKeys } from './keys'
import { inboxRealtimeHandlers } from './realtime'

function seeded() {
  const queryClient = new QueryClient()
  const conversation = makeConversation({ id: 'c1', unreadCount: 0 })
  queryClient.setQueryData<ConversationsData>(inboxKeys.list({}), { pages: [conversationPage([conversation])], pageParams: [1] })
  queryClient.setQueryData<MessagesData>(inboxKeys.messages('c1'), {
    pages: [messagePage([makeMessage({ id: 'm1', conversationId: 'c1' })])],
    pageParams: [null],
  })
  return { queryClient, conversation }
}

describe('inbox cache', () => {
  it('never moves a status backwards', () => {
    expect(laterStatus('DELIVERED', 'SENT')).toBe('DELIVERED')
    expect(laterStatus('PENDING', 'SENT')).toBe('SENT')
    expect(laterStatus('SENT', 'FAILED')).toBe('FAILED')
    expect(laterStatus('READ', 'FAILED')).toBe('READ')
    expect(laterStatus('FAILED', 'PENDING')).toBe('PENDING')
  })

  it('keeps one copy of a message whether the POST answer or the socket event arrives first', () => {
    const { queryClient } = seeded()
    const handlers = inboxRealtimeHandlers(queryClient)
    const outgoing = makeMessage({ id: 'out', conversationId: 'c1', messageType: 'SENT', status: 'SENT', createdAt: '2030-01-02T00:00:00Z' })
    handlers['message-sent']({ conversationId: 'c1', message: outgoing })
    handlers['message-sent']({ conversationId: 'c1', message: { ...outgoing, status: 'PENDING' } })

    const messages = flattenMessages(queryClient.getQueryData(inboxKeys.messages('c1')))
    expect(messages.map((message) => [message.id, message.status])).toEqual([
      ['m1', 'RECEIVED'],
      ['out', 'SENT'],
    ])
    const list = queryClient.getQueryData<ConversationsData>(inboxKeys.list({}))
    expect(list?.pages[0].conversations[0].lastMessage).toMatchObject({ messageType: 'SENT', status: 'SENT' })
  })

  it('ignores payloads that are not what the contract says', () => {
    const { queryClient } = seeded()
    const handlers = inboxRealtimeHandlers(queryClient)
    const before = queryClient.getQueryData(inboxKeys.list({}))
    handlers['new-message'](null)
    handlers['new-message']({ message: 'x' })
    handlers['message-status']({ status: 'READ' })
    handlers['conversation-updated']({ conversation: { id: 1 } })
    expect(queryClient.getQueryData(inboxKeys.list({}))).toBe(before)
  })

  it('decides list membership from the filters the client can check', () => {
    const conversation = makeConversation({ isPaused: true, unreadCount: 0, contactName: 'Ana Souza' })
    expect(matchesFilters(conversation, {})).toBe('yes')
    expect(matchesFilters(conversation, { isArchived: true })).toBe('no')
    expect(matchesFilters(conversation, { status: 'active' })).toBe('no')
    expect(matchesFilters(conversation, { unreadOnly: true })).toBe('no')
    expect(matchesFilters(conversation, { search: 'souza' })).toBe('yes')
    expect(matchesFilters(conversation, { search: 'boleto' })).toBe('unknown')
    expect(matchesFilters(conversation, { tagIds: ['t1'] })).toBe('unknown')
  })
})
