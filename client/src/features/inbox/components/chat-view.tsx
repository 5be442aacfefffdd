import { useEffect, useRef, useState } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { Alert } from '@/components/ui/alert'
import { Spinner } from '@/components/ui/spinner'
import { ConversationAiPanel } from '@/features/ai/components/conversation-ai-panel'
import { useAiPanelStore } from '@/features/ai/panel-store'
import { ConversationFollowups } from '@/features/followups/components/conversation-followups'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { cachedConversation, flattenMessages } from '../api/cache'
import { conversationQueryOptions, useMarkConversationRead, useSetArchived } from '../api/conversations'
import { useMessages, useRetryMessage, useSendReaction } from '../api/messages'
import { useOpenConversationStore } from '../api/open-conversation'
import type { Message } from '../api/types'
import { ChatHeader } from './chat-header'
import { MessageList } from './message-list'
import { SendBox } from './send-box'

/** Tells the server the conversation is read on opening it and whenever a message arrives in it. */
function useMarkReadWhileOpen(conversationId: string, lastReceivedId: string | undefined, loaded: boolean) {
  const markRead = useMarkConversationRead()
  const { mutate } = markRead
  const marked = useRef<string | null>(null)
  useEffect(() => {
    if (!loaded) return
    const key = `${conversationId}:${lastReceivedId ?? ''}`
    if (marked.current === key) return
    marked.current = key
    mutate(conversationId)
  }, [conversationId, lastReceivedId, loaded, mutate])
}

type Props = { conversationId: string; onClosed: () => void }

export function ChatView({ conversationId, onClosed }: Props) {
  const t = useT()
  const queryClient = useQueryClient()
  const conversation = useQuery({
    ...conversationQueryOptions(conversationId),
    // The list already has it: show the header at once, the fetch only fills gaps.
    initialData: () => cachedConversation(queryClient, conversationId),
  })
  const messages = useMessages(conversationId)
  const [replyTo, setReplyTo] = useState<Message | null>(null)
  const [replyFor, setReplyFor] = useState(conversationId)
  const sendReaction = useSendReaction()
  const retry = useRetryMessage()
  const setArchived = useSetArchived()
  const setOpenId = useOpenConversationStore((state) => state.setId)
  const aiPanelOpen = useAiPanelStore((state) => state.open)

  // A reply belongs to the conversation it was started in.
  if (replyFor !== conversationId) {
    setReplyFor(conversationId)
    setReplyTo(null)
  }

  useEffect(() => {
    setOpenId(conversationId)
    return () => setOpenId(null)
  }, [conversationId, setOpenId])

  const loaded = flattenMessages(messages.data)
  const lastReceived = loaded.findLast((message) => message.messageType === 'RECEIVED')
  useMarkReadWhileOpen(conversationId, lastReceived?.id, messages.isSuccess)

  if (conversation.isPending) return <Spinner label={t('common.loading')} className="flex-1" />
  if (conversation.isError) {
    return (
      <div className="flex-1 p-6">
        <Alert>{errorMessage(conversation.error, t)}</Alert>
      </div>
    )
  }
  const current = conversation.data
  return (
    <div className="flex min-h-0 flex-1 flex-col" data-testid="inbox-chat" data-conversation-id={conversationId}>
      <ChatHeader conversation={current} onDeleted={onClosed} />
      <div className="relative flex min-h-0 flex-1">
        <div className="flex min-h-0 min-w-0 flex-1 flex-col">
          <MessageList
            key={`messages-${conversationId}`}
            conversationId={conversationId}
            isGroup={current.isGroup}
            onReply={setReplyTo}
            onReact={(message, reaction) =>
              sendReaction.mutate({ message, reaction }, { onError: (error) => toast(errorMessage(error, t), 'error') })
            }
            onRetry={(message) => retry.mutate(message, { onError: (error) => toast(errorMessage(error, t), 'error') })}
          />
          <SendBox
            key={`send-${conversationId}`}
            conversationId={conversationId}
            archived={current.isArchived}
            replyTo={replyTo}
            onCancelReply={() => setReplyTo(null)}
            unarchiving={setArchived.isPending}
            onUnarchive={() =>
              setArchived.mutate(
                { id: conversationId, archived: false },
                { onError: (error) => toast(errorMessage(error, t), 'error') },
              )
            }
          />
        </div>
        {aiPanelOpen && (
          <ConversationAiPanel
            key={`ai-${conversationId}`}
            conversationId={conversationId}
            contactId={current.contactId}
            analysis={current.aiState}
            lastMessageId={loaded.at(-1)?.id}
          >
            <ConversationFollowups conversationId={conversationId} isGroup={current.isGroup} />
          </ConversationAiPanel>
        )}
      </div>
    </div>
  )
}
