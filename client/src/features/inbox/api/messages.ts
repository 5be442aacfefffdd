import { infiniteQueryOptions, useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { noteOutgoingMessage, updateMessage } from './cache'
import { inboxKeys } from './keys'
import type { Message, MessagePage } from './types'

const MESSAGES_PAGE_SIZE = 50

export const messagesQueryOptions = (conversationId: string) =>
  infiniteQueryOptions({
    queryKey: inboxKeys.messages(conversationId),
    queryFn: ({ pageParam, signal }) =>
      api.get<MessagePage>(
        `/api/whatsapp/conversations/${encodeURIComponent(conversationId)}/messages`,
        { limit: MESSAGES_PAGE_SIZE, before: pageParam },
        signal,
      ),
    // Pages run newest first; "next" means older.
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.hasMore && last.nextCursor ? last.nextCursor : undefined),
    staleTime: Infinity,
  })

export const useMessages = (conversationId: string) => useInfiniteQuery(messagesQueryOptions(conversationId))

export type SendTextInput = { conversationId: string; text: string; replyToMessageId?: string }
export type SendMediaInput = {
  conversationId: string
  file: File
  caption?: string
  mediaType?: 'image' | 'video' | 'audio' | 'ptt' | 'document'
  replyToMessageId?: string
}

export function useSendText() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: SendTextInput) => api.post<Message>('/api/whatsapp/send', input),
    // The server answers with the PENDING message; sockets move its ticks on from there.
    onSuccess: (message) => noteOutgoingMessage(queryClient, message),
  })
}

export function useSendMedia() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ conversationId, file, caption, mediaType, replyToMessageId }: SendMediaInput) => {
      const form = new FormData()
      form.append('file', file)
      form.append('conversationId', conversationId)
      if (caption) form.append('caption', caption)
      if (mediaType) form.append('mediaType', mediaType)
      if (replyToMessageId) form.append('replyToMessageId', replyToMessageId)
      return api.post<Message>('/api/whatsapp/send-media', form)
    },
    onSuccess: (message) => noteOutgoingMessage(queryClient, message),
  })
}

/** `reaction` "" removes ours. Shown at once; a refusal puts the previous reactions back. */
export function useSendReaction() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ message, reaction }: { message: Message; reaction: string }) =>
      api.post('/api/whatsapp/send-reaction', { messageId: message.id, reaction }),
    onMutate: ({ message, reaction }) => {
      const others = message.reactions.filter((item) => !item.fromMe)
      updateMessage(queryClient, message.conversationId, message, (current) => ({
        ...current,
        reactions: reaction ? [...others, { emoji: reaction, fromMe: true }] : others,
      }))
    },
    onError: (_, { message }) =>
      updateMessage(queryClient, message.conversationId, message, (current) => ({ ...current, reactions: message.reactions })),
  })
}

/** FAILED → PENDING: the server queues the same message again; sockets move its ticks on. */
export function useRetryMessage() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (message: Message) =>
      api.post<Message>(`/api/whatsapp/messages/${encodeURIComponent(message.id)}/retry`),
    onSuccess: (message) => updateMessage(queryClient, message.conversationId, message, () => message),
  })
}

/** What a picked file goes as. */
export function mediaTypeOf(file: File): SendMediaInput['mediaType'] {
  if (file.type.startsWith('image/')) return 'image'
  if (file.type.startsWith('video/')) return 'video'
  if (file.type.startsWith('audio/')) return 'audio'
  return 'document'
}
