import { QueryClient } from '@tanstack/react-query'
import { describe, expect, it } from 'vitest'
import { conversationPage, makeConversation, makeMessage, messagePage } from '../test-fixtures'
import { flattenMessages, laterStatus, matchesFilters, upsertConversation, type ConversationsData, type MessagesData } from './cache'
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

  it('keeps the tags it knows when a live event carries none', () => {
    const queryClient = new QueryClient()
    const tags = [{ id: 't1', name: 'VIP', color: '#FF0000' }]
    const contact = { id: 'k1', name: 'Ana', phoneNumber: '5511', email: null, isBlocked: false }
    const known = makeConversation({ id: 'c9', contact: { ...contact, tags } })
    queryClient.setQueryData<ConversationsData>(inboxKeys.list({}), { pages: [conversationPage([known])], pageParams: [1] })
    upsertConversation(queryClient, { ...known, unreadCount: 1, contact }, { toTop: true })
    const list = queryClient.getQueryData<ConversationsData>(inboxKeys.list({}))
    expect(list?.pages[0].conversations[0].contact?.tags).toEqual(tags)
    expect(list?.pages[0].conversations[0].unreadCount).toBe(1)
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

  describe('message-updated', () => {
    function withHistory() {
      const queryClient = new QueryClient()
      const photo = makeMessage({
        id: 'photo',
        conversationId: 'c1',
        kind: 'image',
        messageText: 'Foto do pedido',
        sentAt: '2030-01-01T10:00:00Z',
        media: { type: 'image', mimeType: 'image/jpeg', fileName: null, size: null, seconds: null, state: 'pending', url: null },
      })
      const last = makeMessage({ id: 'last', conversationId: 'c1', messageText: 'Chegou?', sentAt: '2030-01-01T12:00:00Z' })
      const conversation = makeConversation({
        id: 'c1',
        lastMessageAt: '2030-01-01T12:00:00Z',
        lastMessage: { messageText: 'Chegou?', messageType: 'RECEIVED', kind: 'text', status: 'RECEIVED', createdAt: '2030-01-01T12:00:00Z' },
      })
      queryClient.setQueryData<ConversationsData>(inboxKeys.list({}), { pages: [conversationPage([conversation])], pageParams: [1] })
      queryClient.setQueryData<MessagesData>(inboxKeys.messages('c1'), { pages: [messagePage([photo, last])], pageParams: [null] })
      return { queryClient, handlers: inboxRealtimeHandlers(queryClient), photo, last }
    }
    const history = (queryClient: QueryClient) => flattenMessages(queryClient.getQueryData(inboxKeys.messages('c1')))
    const preview = (queryClient: QueryClient) =>
      queryClient.getQueryData<ConversationsData>(inboxKeys.list({}))?.pages[0].conversations[0].lastMessage

    it('replaces the message by id, once, even when the event comes twice', () => {
      const { queryClient, handlers, photo } = withHistory()
      const reacted = { ...photo, reactions: [{ emoji: '👍', fromMe: false }] }
      handlers['message-updated']({ conversationId: 'c1', message: reacted })
      handlers['message-updated']({ conversationId: 'c1', message: reacted })
      expect(history(queryClient).map((message) => [message.id, message.reactions.length])).toEqual([
        ['photo', 1],
        ['last', 0],
      ])
      // Not the last message: the preview stays as it was.
      expect(preview(queryClient)?.messageText).toBe('Chegou?')
    })

    it('never adds a message the history does not hold', () => {
      const { queryClient, handlers } = withHistory()
      const before = queryClient.getQueryData(inboxKeys.messages('c1'))
      handlers['message-updated']({ conversationId: 'c1', message: makeMessage({ id: 'unknown', conversationId: 'c1' }) })
      expect(queryClient.getQueryData(inboxKeys.messages('c1'))).toBe(before)
      expect(history(queryClient)).toHaveLength(2)
    })

    it('shows media once stored and keeps its signed URL when a later event has none', () => {
      const { queryClient, handlers, photo } = withHistory()
      const stored = { ...photo, media: { ...photo.media!, state: 'stored' as const, url: 'https://files.test/p.jpg?sig=1' } }
      handlers['message-updated']({ conversationId: 'c1', message: stored })
      expect(history(queryClient)[0].media).toMatchObject({ state: 'stored', url: 'https://files.test/p.jpg?sig=1' })

      handlers['message-updated']({
        conversationId: 'c1',
        message: { ...stored, media: { ...stored.media, url: null }, reactions: [{ emoji: '❤️', fromMe: true }] },
      })
      expect(history(queryClient)[0]).toMatchObject({ media: { url: 'https://files.test/p.jpg?sig=1' }, reactions: [{ emoji: '❤️' }] })
      expect(queryClient.getQueryState(inboxKeys.messages('c1'))?.isInvalidated).toBe(false)
    })

    it("keeps the sender's name, which the event does not carry", () => {
      const { queryClient, handlers } = withHistory()
      const sent = makeMessage({
        id: 'out',
        conversationId: 'c1',
        messageType: 'SENT',
        fromMe: true,
        status: 'DELIVERED',
        sentBy: { id: 'u1', name: 'Carla' },
        sentAt: '2030-01-01T13:00:00Z',
      })
      handlers['message-sent']({ conversationId: 'c1', message: sent })
      handlers['message-updated']({ conversationId: 'c1', message: { ...sent, sentBy: { id: 'u1', name: null }, reactions: [{ emoji: '👍', fromMe: false }] } })
      expect(history(queryClient).at(-1)).toMatchObject({ sentBy: { id: 'u1', name: 'Carla' }, reactions: [{ emoji: '👍' }] })
    })

    it('fetches the history again when stored media arrives without a URL', () => {
      const { queryClient, handlers, photo } = withHistory()
      handlers['message-updated']({ conversationId: 'c1', message: { ...photo, media: { ...photo.media!, state: 'stored', url: null } } })
      expect(queryClient.getQueryState(inboxKeys.messages('c1'))?.isInvalidated).toBe(true)
    })

    it('updates the preview when the last message is deleted by the sender', () => {
      const { queryClient, handlers, last } = withHistory()
      handlers['message-updated']({ conversationId: 'c1', message: { ...last, deleted: true, messageText: null } })
      expect(history(queryClient)[1]).toMatchObject({ id: 'last', deleted: true, messageText: null })
      expect(preview(queryClient)).toMatchObject({ messageText: null, createdAt: '2030-01-01T12:00:00Z' })
    })

    it('recognises the last message from the preview when the history is not loaded', () => {
      const { queryClient, handlers, last } = withHistory()
      queryClient.removeQueries({ queryKey: inboxKeys.messages('c1') })
      handlers['message-updated']({ conversationId: 'c1', message: { ...last, deleted: true, messageText: null } })
      expect(preview(queryClient)?.messageText).toBeNull()
      expect(queryClient.getQueryData(inboxKeys.messages('c1'))).toBeUndefined()
    })

    it('never moves the ticks back', () => {
      const { queryClient, handlers } = withHistory()
      const sent = makeMessage({ id: 'out', conversationId: 'c1', messageType: 'SENT', fromMe: true, status: 'READ', sentAt: '2030-01-01T13:00:00Z' })
      handlers['message-sent']({ conversationId: 'c1', message: sent })
      handlers['message-updated']({ conversationId: 'c1', message: { ...sent, status: 'SENT', reactions: [{ emoji: '🙏', fromMe: false }] } })
      expect(history(queryClient).at(-1)).toMatchObject({ id: 'out', status: 'READ', reactions: [{ emoji: '🙏' }] })
      expect(preview(queryClient)).toMatchObject({ messageType: 'SENT', status: 'READ' })
    })

    it('ignores malformed payloads', () => {
      const { queryClient, handlers } = withHistory()
      const before = queryClient.getQueryData(inboxKeys.messages('c1'))
      handlers['message-updated'](null)
      handlers['message-updated']({ conversationId: 'c1', message: { id: 'photo' } })
      expect(queryClient.getQueryData(inboxKeys.messages('c1'))).toBe(before)
    })
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
    const angry = makeConversation({ aiState: { sentiment: 'negative', urgency: 'high' } })
    expect(matchesFilters(angry, { sentiments: ['negative', 'mixed'], urgencies: ['high', 'critical'] })).toBe('yes')
    expect(matchesFilters(angry, { urgencies: ['critical'] })).toBe('no')
    expect(matchesFilters(conversation, { sentiments: ['negative'] })).toBe('no')
  })
})
