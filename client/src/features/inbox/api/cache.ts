import type { InfiniteData, QueryClient, QueryKey } from '@tanstack/react-query'
import { inboxKeys } from './keys'
import type { Conversation, ConversationFilters, ConversationPage, LastMessage, Message, MessagePage, MessageStatus } from './types'

export type ConversationsData = InfiniteData<ConversationPage, number>
export type MessagesData = InfiniteData<MessagePage, string | null>

// Status only moves forward: a late socket event or the POST's answer (PENDING) arriving after
// a DELIVERED must not turn the ticks back. FAILED replaces PENDING/SENT; a retry may follow it.
const RANK: Partial<Record<MessageStatus, number>> = { PENDING: 0, SENT: 1, DELIVERED: 2, READ: 3, PLAYED: 4 }

export function laterStatus(current: MessageStatus, incoming: MessageStatus): MessageStatus {
  const from = RANK[current]
  const to = RANK[incoming]
  if (from !== undefined && to !== undefined && to < from) return current
  if (incoming === 'FAILED' && from !== undefined && from >= RANK.DELIVERED!) return current
  return incoming
}

function mergeMessage(current: Message, incoming: Message): Message {
  const status = laterStatus(current.status, incoming.status)
  return { ...current, ...incoming, status, error: status === incoming.status ? incoming.error : current.error }
}

const sameMessage = (a: Message, b: Pick<Message, 'id' | 'messageKeyId'>) =>
  a.id === b.id || (a.messageKeyId !== null && a.messageKeyId === b.messageKeyId)

/** Oldest first, without the duplicates that paging over a moving list can bring. */
export function flattenMessages(data: { pages: MessagePage[] } | undefined): Message[] {
  if (!data) return []
  const seen = new Set<string>()
  const result: Message[] = []
  for (const page of [...data.pages].reverse()) {
    for (const message of page.messages) {
      if (seen.has(message.id)) continue
      seen.add(message.id)
      result.push(message)
    }
  }
  return result
}

export function flattenConversations(data: { pages: ConversationPage[] } | undefined): Conversation[] {
  if (!data) return []
  const seen = new Set<string>()
  return data.pages.flatMap((page) =>
    page.conversations.filter((conversation) => !seen.has(conversation.id) && seen.add(conversation.id)),
  )
}

/** Adds or updates a message in its conversation's cached history (only if it is loaded). */
export function upsertMessage(queryClient: QueryClient, message: Message): void {
  queryClient.setQueryData<MessagesData>(inboxKeys.messages(message.conversationId), (data) => {
    if (!data || data.pages.length === 0) return data
    let found = false
    const pages = data.pages.map((page) => {
      if (!page.messages.some((item) => sameMessage(item, message))) return page
      found = true
      return { ...page, messages: page.messages.map((item) => (sameMessage(item, message) ? mergeMessage(item, message) : item)) }
    })
    if (found) return { ...data, pages }
    // pages[0] is the newest page; its messages run oldest first.
    const [newest, ...older] = data.pages
    return { ...data, pages: [{ ...newest, messages: [...newest.messages, message] }, ...older] }
  })
}

/** Changes one cached message in place (status, reactions…). */
export function updateMessage(
  queryClient: QueryClient,
  conversationId: string,
  match: Pick<Message, 'id' | 'messageKeyId'>,
  update: (message: Message) => Message,
): void {
  queryClient.setQueryData<MessagesData>(inboxKeys.messages(conversationId), (data) => {
    if (!data) return data
    return {
      ...data,
      pages: data.pages.map((page) =>
        page.messages.some((item) => sameMessage(item, match))
          ? { ...page, messages: page.messages.map((item) => (sameMessage(item, match) ? update(item) : item)) }
          : page,
      ),
    }
  })
}

/**
 * What a `message-updated` event (reaction, media downloaded, deleted by the sender) changes:
 * the message is replaced where it is cached, matched by id, and never added. Its status keeps
 * moving forward only. The event may lack what only a GET fills in (the signed media URL, the
 * sender's name): those are kept from the cached copy while they still apply.
 * Answers the updated message, or undefined when the history does not hold it.
 */
export function replaceMessage(queryClient: QueryClient, message: Message): Message | undefined {
  let updated: Message | undefined
  updateMessage(queryClient, message.conversationId, { id: message.id, messageKeyId: null }, (current) => {
    const merged = mergeMessage(current, message)
    if (merged.media && !merged.media.url && current.media?.url && current.media.state === merged.media.state) {
      merged.media = { ...merged.media, url: current.media.url }
    }
    if (merged.sentBy && !merged.sentBy.name && current.sentBy?.id === merged.sentBy.id) {
      merged.sentBy = { ...merged.sentBy, name: current.sentBy.name }
    }
    updated = merged
    return merged
  })
  return updated
}

/** Whether the list preview of a conversation shows this message (the preview carries no id). */
function previewShows(queryClient: QueryClient, conversation: Conversation, message: Message): boolean {
  const preview = conversation.lastMessage
  if (!preview) return false
  const history = flattenMessages(queryClient.getQueryData<MessagesData>(inboxKeys.messages(conversation.id)))
  const newest = history.at(-1)
  if (newest) return newest.id === message.id
  return (
    preview.createdAt === (message.sentAt ?? message.createdAt) &&
    preview.messageType === message.messageType &&
    preview.kind === message.kind
  )
}

/**
 * A message changed without news (see replaceMessage); the preview follows when it is the last one.
 * Answers the cached copy as updated, or undefined when the history does not hold the message.
 */
export function applyMessageUpdate(queryClient: QueryClient, message: Message): Message | undefined {
  const cached = replaceMessage(queryClient, message)
  const updated = cached ?? message
  const current = cachedConversation(queryClient, message.conversationId)
  if (current?.lastMessage && previewShows(queryClient, current, updated)) {
    const preview = previewOf(updated)
    preview.status = laterStatus(current.lastMessage.status, preview.status)
    upsertConversation(queryClient, { ...current, lastMessage: preview }, { toTop: false })
  }
  return cached
}

type Match = 'yes' | 'no' | 'unknown'

/** Whether a conversation belongs in a list with these filters, as far as the client can tell. */
export function matchesFilters(conversation: Conversation, filters: ConversationFilters): Match {
  if (conversation.isArchived !== (filters.isArchived ?? false)) return 'no'
  if (filters.status === 'paused' && !conversation.isPaused) return 'no'
  if (filters.status === 'active' && conversation.isPaused) return 'no'
  if (filters.unreadOnly && conversation.unreadCount === 0) return 'no'
  if (filters.instanceId && filters.instanceId !== conversation.instanceId) return 'no'
  // The AI's analysis is in the payload (aiState), as the server filters it.
  if (filters.sentiments?.length && !filters.sentiments.includes(conversation.aiState?.sentiment ?? '')) return 'no'
  if (filters.urgencies?.length && !filters.urgencies.includes(conversation.aiState?.urgency ?? '')) return 'no'
  // Tags and funnels are not in the payload the way the server filters them.
  if (filters.tagIds?.length || filters.funnelId || filters.stageId) return 'unknown'
  if (filters.search) {
    const needle = filters.search.toLowerCase()
    const haystack = [conversation.contactName, conversation.contactNumber, conversation.contact?.name].join(' ').toLowerCase()
    // The server also searches message text, so no match here is not a "no".
    return haystack.includes(needle) ? 'yes' : 'unknown'
  }
  return 'yes'
}

const filtersOfKey = (key: QueryKey): ConversationFilters => (key[2] ?? {})

/**
 * Puts a changed conversation into every cached list: replaced in place, or moved to the top
 * when it has news; added when it now belongs to a list, dropped when it no longer does.
 */
export function upsertConversation(queryClient: QueryClient, incoming: Conversation, { toTop }: { toTop: boolean }): void {
  const conversation = withKnownTags(incoming, cachedConversation(queryClient, incoming.id))
  queryClient.setQueryData<Conversation>(inboxKeys.conversation(conversation.id), conversation)
  for (const [key, data] of queryClient.getQueriesData<ConversationsData>({ queryKey: inboxKeys.lists })) {
    if (!data || data.pages.length === 0) continue
    const match = matchesFilters(conversation, filtersOfKey(key))
    let previous: Conversation | undefined
    let position: { page: number; index: number } | undefined
    data.pages.forEach((page, pageIndex) => {
      const index = page.conversations.findIndex((item) => item.id === conversation.id)
      if (index >= 0 && !position) {
        previous = page.conversations[index]
        position = { page: pageIndex, index }
      }
    })
    if (!position && match !== 'yes') continue
    const keep = match === 'yes' || (match === 'unknown' && position !== undefined)
    const pages = data.pages.map((page) => ({
      ...page,
      conversations: page.conversations.filter((item) => item.id !== conversation.id),
    }))
    if (keep) {
      const at = toTop || !position ? { page: 0, index: 0 } : position
      pages[at.page].conversations.splice(at.index, 0, conversation)
    }
    const unreadDelta = (keep ? conversation.unreadCount : 0) - (previous?.unreadCount ?? 0)
    const totalDelta = (keep ? 1 : 0) - (previous ? 1 : 0)
    pages[0] = {
      ...pages[0],
      unreadTotal: Math.max(0, pages[0].unreadTotal + unreadDelta),
      pagination: { ...pages[0].pagination, total: Math.max(0, pages[0].pagination.total + totalDelta) },
    }
    queryClient.setQueryData<ConversationsData>(key, { ...data, pages })
  }
}

function withKnownTags(conversation: Conversation, known: Conversation | undefined): Conversation {
  const contact = conversation.contact
  if (!contact || contact.tags !== undefined || !known?.contact?.tags) return conversation
  return { ...conversation, contact: { ...contact, tags: known.contact.tags } }
}

/** The freshest copy of a conversation the cache holds (detail first, then any list). */
export function cachedConversation(queryClient: QueryClient, id: string): Conversation | undefined {
  const detail = queryClient.getQueryData<Conversation>(inboxKeys.conversation(id))
  if (detail) return detail
  for (const [, data] of queryClient.getQueriesData<ConversationsData>({ queryKey: inboxKeys.lists })) {
    const found = flattenConversations(data).find((item) => item.id === id)
    if (found) return found
  }
  return undefined
}

export function patchConversation(queryClient: QueryClient, id: string, changes: Partial<Conversation>, toTop = false): void {
  const current = cachedConversation(queryClient, id)
  if (current) upsertConversation(queryClient, { ...current, ...changes }, { toTop })
}

export function removeConversation(queryClient: QueryClient, id: string): void {
  for (const [key, data] of queryClient.getQueriesData<ConversationsData>({ queryKey: inboxKeys.lists })) {
    if (!data || data.pages.length === 0) continue
    const previous = flattenConversations(data).find((item) => item.id === id)
    if (!previous) continue
    const pages = data.pages.map((page) => ({ ...page, conversations: page.conversations.filter((item) => item.id !== id) }))
    pages[0] = {
      ...pages[0],
      unreadTotal: Math.max(0, pages[0].unreadTotal - previous.unreadCount),
      pagination: { ...pages[0].pagination, total: Math.max(0, pages[0].pagination.total - 1) },
    }
    queryClient.setQueryData<ConversationsData>(key, { ...data, pages })
  }
  queryClient.removeQueries({ queryKey: inboxKeys.conversation(id), exact: true })
  queryClient.removeQueries({ queryKey: inboxKeys.messages(id), exact: true })
}

export const previewOf = (message: Message): LastMessage => ({
  messageText: message.deleted ? null : message.messageText,
  messageType: message.messageType,
  kind: message.kind,
  status: message.status,
  createdAt: message.sentAt ?? message.createdAt,
})

/** A message we sent (here or from another tab): the conversation's preview and place change. */
export function noteOutgoingMessage(queryClient: QueryClient, message: Message): void {
  upsertMessage(queryClient, message)
  const timestamp = message.sentAt ?? message.createdAt
  const current = cachedConversation(queryClient, message.conversationId)
  if (!current) return
  if (current.lastMessageAt && Date.parse(timestamp) < Date.parse(current.lastMessageAt)) return
  const preview = previewOf(message)
  if (current.lastMessage?.createdAt === preview.createdAt) {
    preview.status = laterStatus(current.lastMessage.status, preview.status)
  }
  upsertConversation(queryClient, { ...current, lastMessage: preview, lastMessageAt: timestamp }, { toTop: true })
}

/** A delivery update: the bubble's ticks, and the list preview's when it shows that message. */
export function applyMessageStatus(
  queryClient: QueryClient,
  event: { conversationId: string; messageId: string; messageKeyId: string | null; status: MessageStatus; error: string | null },
): void {
  let updated = undefined as Message | undefined
  updateMessage(queryClient, event.conversationId, { id: event.messageId, messageKeyId: event.messageKeyId }, (message) => {
    const status = laterStatus(message.status, event.status)
    updated = { ...message, status, error: status === 'FAILED' ? event.error : message.error }
    return updated
  })
  const current = cachedConversation(queryClient, event.conversationId)
  if (!updated || !current?.lastMessage) return
  if (current.lastMessage.createdAt !== (updated.sentAt ?? updated.createdAt)) return
  const lastMessage = { ...current.lastMessage, status: laterStatus(current.lastMessage.status, event.status) }
  upsertConversation(queryClient, { ...current, lastMessage }, { toTop: false })
}
