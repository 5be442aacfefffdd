import type { ConversationAnalysis } from '@/features/ai/api/analysis'
import type { AiMetadata } from '@/features/ai/api/types'

export type MessageKind = 'text' | 'image' | 'video' | 'audio' | 'ptt' | 'document' | 'sticker' | 'location' | 'contact' | 'unknown'
export type MessageStatus = 'RECEIVED' | 'PENDING' | 'SENT' | 'DELIVERED' | 'READ' | 'PLAYED' | 'FAILED'
export type MessageDirection = 'RECEIVED' | 'SENT'
export type MediaState = 'pending' | 'stored' | 'failed' | 'rejected'

export type Tag = { id: string; name: string; color: string }

export type ConversationContact = {
  id: string
  name: string | null
  phoneNumber: string | null
  email: string | null
  isBlocked: boolean
  /** Signed link to the WhatsApp profile photo, once fetched. */
  avatarUrl?: string | null
  /** Left out of live events (the server does not look them up there); keep the cached ones. */
  tags?: Tag[]
}

export type LastMessage = {
  messageText: string | null
  messageType: MessageDirection
  kind: MessageKind
  status: MessageStatus
  createdAt: string | null
}

export type Conversation = {
  id: string
  publicId: string
  instanceId: string
  instanceName: string | null
  contactId: string | null
  contactNumber: string
  contactName: string | null
  isGroup: boolean
  isPaused: boolean
  isArchived: boolean
  lastMessageAt: string | null
  unreadCount: number
  contact: ConversationContact | null
  lastMessage: LastMessage | null
  /** The AI's latest analysis (sentiment, urgency, summary, suggested reply…), null before the first. */
  aiState: ConversationAnalysis | null
}

export type Media = {
  type: string
  mimeType: string | null
  fileName: string | null
  size: number | null
  seconds: number | null
  state: MediaState
  /** Signed, valid for a few minutes. */
  url: string | null
}

export type Message = {
  id: string
  publicId: string
  conversationId: string
  messageText: string | null
  messageType: MessageDirection
  kind: MessageKind
  status: MessageStatus
  error: string | null
  isBot: boolean
  fromMe: boolean
  authorName: string | null
  sentBy: { id: string; name: string | null } | null
  messageKeyId: string | null
  replyTo: { messageKeyId: string; text: string | null } | null
  media: Media | null
  location: { latitude: number; longitude: number; name?: string | null; address?: string | null } | null
  contacts: { name: string | null; phone: string | null }[]
  reactions: { emoji: string; fromMe: boolean }[]
  deleted: boolean
  sentAt: string | null
  createdAt: string
  /** On the first part of an AI answer: the model, the level and the actions of that turn. */
  aiMetadata?: AiMetadata | null
}

/** Every filter of GET /conversations; the UI offers some of them for now. */
export type ConversationFilters = {
  search?: string
  isArchived?: boolean
  status?: 'active' | 'paused'
  unreadOnly?: boolean
  instanceId?: string
  tagIds?: string[]
  funnelId?: string
  stageId?: string
  sentiments?: string[]
  urgencies?: string[]
  match?: 'all' | 'any'
}

export type ConversationPage = {
  conversations: Conversation[]
  pagination: { page: number; limit: number; total: number; totalPages: number }
  unreadTotal: number
}

export type MessagePage = { messages: Message[]; hasMore: boolean; nextCursor: string | null }

export type MessageStatusEvent = {
  conversationId: string
  messageId: string
  messageKeyId: string | null
  status: MessageStatus
  error: string | null
}

/** What the inbox needs to know about WhatsApp instances (the app passes them in). */
export type InboxInstance = { id: string; instanceName: string; connectionStatus: string }
