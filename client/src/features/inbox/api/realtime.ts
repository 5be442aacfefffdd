import type { QueryClient } from '@tanstack/react-query'
import { applyMessageStatus, applyMessageUpdate, noteOutgoingMessage, removeConversation, upsertConversation, upsertMessage } from './cache'
import { inboxKeys } from './keys'
import { useOpenConversationStore } from './open-conversation'
import type { Conversation, Message, MessageStatusEvent } from './types'

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null
const isMessage = (value: unknown): value is Message =>
  isObject(value) && typeof value.id === 'string' && typeof value.conversationId === 'string'
const isConversation = (value: unknown): value is Conversation =>
  isObject(value) && typeof value.id === 'string' && typeof value.instanceId === 'string'

/**
 * Socket events → cache writes. Nothing here refetches: each event carries what changed,
 * so a busy inbox does not turn every message into a round of requests.
 */
export function inboxRealtimeHandlers(queryClient: QueryClient) {
  return {
    'new-message': (payload: unknown) => {
      if (!isObject(payload) || !isMessage(payload.message)) return
      const message = payload.message
      upsertMessage(queryClient, message)
      if (isConversation(payload.conversation)) {
        // The open conversation is being read; the chat view tells the server so.
        const isOpen = useOpenConversationStore.getState().id === payload.conversation.id
        const conversation = isOpen ? { ...payload.conversation, unreadCount: 0 } : payload.conversation
        upsertConversation(queryClient, conversation, { toTop: true })
      } else if (message.messageType === 'SENT') {
        noteOutgoingMessage(queryClient, message)
      }
    },
    'message-sent': (payload: unknown) => {
      if (isObject(payload) && isMessage(payload.message)) noteOutgoingMessage(queryClient, payload.message)
    },
    'message-status': (payload: unknown) => {
      if (!isObject(payload) || typeof payload.conversationId !== 'string' || typeof payload.messageId !== 'string') return
      applyMessageStatus(queryClient, payload as MessageStatusEvent)
    },
    // A reaction, a media download that finished (or failed), a message the sender deleted.
    'message-updated': (payload: unknown) => {
      if (!isObject(payload) || !isMessage(payload.message)) return
      const message = payload.message
      if (typeof payload.conversationId === 'string' && payload.conversationId !== message.conversationId) return
      const cached = applyMessageUpdate(queryClient, message)
      // Stored media is shown from a signed URL; when neither the event nor the cache has one
      // (the download just finished), the history is fetched again to get it.
      if (cached?.media?.state === 'stored' && !cached.media.url) {
        void queryClient.invalidateQueries({ queryKey: inboxKeys.messages(message.conversationId), exact: true })
      }
    },
    'conversation-updated': (payload: unknown) => {
      if (!isObject(payload)) return
      if (payload.deleted === true && typeof payload.conversationId === 'string') {
        removeConversation(queryClient, payload.conversationId)
        return
      }
      if (!isConversation(payload.conversation)) return
      const isOpen = useOpenConversationStore.getState().id === payload.conversation.id
      const conversation = isOpen ? { ...payload.conversation, unreadCount: 0 } : payload.conversation
      upsertConversation(queryClient, conversation, { toTop: false })
    },
  }
}
