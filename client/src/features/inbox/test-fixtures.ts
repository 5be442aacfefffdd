import type { Conversation, ConversationPage, Message, MessagePage } from './api/types'

let sequence = 0

export function makeConversation(overrides: Partial<Conversation> = {}): Conversation {
  sequence++
  return {
    id: `conv-${sequence}`,
    publicId: `C${sequence}`,
    instanceId: 'inst-1',
    instanceName: 'Vendas',
    contactId: `contact-${sequence}`,
    contactNumber: '5511999990000',
    contactName: `Cliente ${sequence}`,
    isGroup: false,
    isPaused: false,
    isArchived: false,
    lastMessageAt: '2030-01-01T12:00:00Z',
    unreadCount: 0,
    contact: null,
    lastMessage: { messageText: 'Olá', messageType: 'RECEIVED', kind: 'text', status: 'RECEIVED', createdAt: '2030-01-01T12:00:00Z' },
    aiState: null,
    ...overrides,
  }
}

export function makeMessage(overrides: Partial<Message> = {}): Message {
  sequence++
  return {
    id: `msg-${sequence}`,
    publicId: `M${sequence}`,
    conversationId: 'conv-1',
    messageText: 'Olá',
    messageType: 'RECEIVED',
    kind: 'text',
    status: 'RECEIVED',
    error: null,
    isBot: false,
    fromMe: false,
    authorName: null,
    sentBy: null,
    messageKeyId: `KEY${sequence}`,
    replyTo: null,
    media: null,
    location: null,
    contacts: [],
    reactions: [],
    deleted: false,
    sentAt: '2030-01-01T12:00:00Z',
    createdAt: '2030-01-01T12:00:00Z',
    ...overrides,
  }
}

export const conversationPage = (conversations: Conversation[], extra: Partial<ConversationPage> = {}): ConversationPage => ({
  conversations,
  pagination: { page: 1, limit: 30, total: conversations.length, totalPages: 1 },
  unreadTotal: conversations.reduce((sum, item) => sum + item.unreadCount, 0),
  ...extra,
})

export const messagePage = (messages: Message[], extra: Partial<MessagePage> = {}): MessagePage => ({
  messages,
  hasMore: false,
  nextCursor: null,
  ...extra,
})
