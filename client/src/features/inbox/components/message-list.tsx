import { Fragment, useCallback, useLayoutEffect, useRef, useState } from 'react'
import { ChevronDown } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Spinner } from '@/components/ui/spinner'
import { errorMessage } from '@/lib/errors'
import { useLocale, useT } from '@/lib/i18n'
import { flattenMessages } from '../api/cache'
import { useMessages } from '../api/messages'
import type { Message } from '../api/types'
import { dayLabel, daysBetween } from '../format'
import { MessageBubble } from './message-bubble'

// How close to the top starts loading older messages, and to the bottom counts as "following".
const LOAD_OLDER_PX = 120
const FOLLOW_PX = 160

type Props = {
  conversationId: string
  isGroup: boolean
  onReply?: (message: Message) => void
  onReact?: (message: Message, emoji: string) => void
  onRetry?: (message: Message) => void
}

/** Render with `key={conversationId}`: each conversation starts at its newest message. */
export function MessageList({ conversationId, isGroup, onReply, onReact, onRetry }: Props) {
  const t = useT()
  const locale = useLocale()
  const query = useMessages(conversationId)
  const messages = flattenMessages(query.data)
  const scroller = useRef<HTMLDivElement>(null)
  const following = useRef(true)
  const anchor = useRef<{ height: number; top: number } | null>(null)
  const [highlighted, setHighlighted] = useState<string | null>(null)
  const [showJump, setShowJump] = useState(false)
  const firstId = messages[0]?.id
  const lastId = messages[messages.length - 1]?.id
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query

  const loadOlder = useCallback(() => {
    const element = scroller.current
    if (!hasNextPage || isFetchingNextPage) return
    // Remember where we were, so prepending older messages does not move what is on screen.
    if (element) anchor.current = { height: element.scrollHeight, top: element.scrollTop }
    void fetchNextPage()
  }, [hasNextPage, isFetchingNextPage, fetchNextPage])

  // Older page prepended: keep the same messages in view. New message appended: follow it if
  // the reader was at the bottom (or it is ours).
  useLayoutEffect(() => {
    const element = scroller.current
    if (!element) return
    if (anchor.current) {
      element.scrollTop = element.scrollHeight - anchor.current.height + anchor.current.top
      anchor.current = null
      return
    }
    const last = messages[messages.length - 1]
    if (following.current || last?.messageType === 'SENT') element.scrollTop = element.scrollHeight
  }, [firstId, lastId]) // eslint-disable-line react-hooks/exhaustive-deps

  function onScroll() {
    const element = scroller.current
    if (!element) return
    const fromBottom = element.scrollHeight - element.scrollTop - element.clientHeight
    following.current = fromBottom < FOLLOW_PX
    setShowJump(!following.current)
    if (element.scrollTop < LOAD_OLDER_PX) loadOlder()
  }

  function jumpTo(messageKeyId: string) {
    const target = messages.find((message) => message.messageKeyId === messageKeyId)
    if (!target) return
    document.getElementById(`message-${target.id}`)?.scrollIntoView({ behavior: 'smooth', block: 'center' })
    setHighlighted(target.id)
    setTimeout(() => setHighlighted((current) => (current === target.id ? null : current)), 1600)
  }

  function toBottom() {
    const element = scroller.current
    if (element) element.scrollTo({ top: element.scrollHeight, behavior: 'smooth' })
  }

  if (query.isPending) return <Spinner label={t('common.loading')} className="flex-1" />
  if (query.isError) {
    return (
      <div className="flex-1 p-4">
        <Alert>{errorMessage(query.error, t)}</Alert>
      </div>
    )
  }

  const labels = { today: t('inbox.today'), yesterday: t('inbox.yesterday') }
  const now = new Date()
  return (
    <div className="relative min-h-0 flex-1">
      <div
        ref={scroller}
        onScroll={onScroll}
        className="h-full overflow-y-auto bg-[#efeae2] px-3 py-3 sm:px-8"
        data-testid="inbox-messages"
        aria-live="polite"
        aria-busy={isFetchingNextPage || undefined}
      >
        {hasNextPage && (
          <div className="mb-3 flex justify-center">
            <Button
              variant="outline"
              size="sm"
              className="rounded-full bg-white/90"
              loading={isFetchingNextPage}
              onClick={loadOlder}
              data-testid="inbox-load-older"
            >
              {t('inbox.loadOlder')}
            </Button>
          </div>
        )}
        {messages.length === 0 && <p className="mt-10 text-center text-sm text-slate-500">{t('inbox.noMessages')}</p>}
        <div className="flex flex-col gap-1.5">
          {messages.map((message, index) => {
            const time = message.sentAt ?? message.createdAt
            const previous = messages[index - 1]
            const newDay = !previous || daysBetween(new Date(previous.sentAt ?? previous.createdAt), new Date(time)) !== 0
            return (
              <Fragment key={message.id}>
                {newDay && (
                  <div className="my-2 flex justify-center">
                    <span className="rounded-md bg-white/90 px-3 py-1 text-xs font-medium text-slate-600 shadow-sm">
                      {dayLabel(time, locale, labels, now)}
                    </span>
                  </div>
                )}
                <MessageBubble
                  message={message}
                  isGroup={isGroup}
                  highlighted={highlighted === message.id}
                  onQuoteClick={jumpTo}
                  onReply={onReply}
                  onReact={onReact}
                  onRetry={onRetry}
                />
              </Fragment>
            )
          })}
        </div>
      </div>
      {showJump && (
        <button
          type="button"
          onClick={toBottom}
          className="absolute right-4 bottom-4 flex size-10 items-center justify-center rounded-full bg-white text-slate-600 shadow-md hover:text-slate-900"
          aria-label={t('inbox.toLatest')}
        >
          <ChevronDown className="size-5" aria-hidden />
        </button>
      )}
    </div>
  )
}
