import { useState } from 'react'
import { Ban, Bot, Reply, SmilePlus } from 'lucide-react'
import { Popover, PopoverContent, PopoverTrigger } from '@/components/ui/popover'
import { MessageAiBadge } from '@/features/ai/components/message-ai-badge'
import { useLocale, useT } from '@/lib/i18n'
import { cn } from '@/lib/utils'
import type { Message } from '../api/types'
import { clockTime } from '../format'
import { MessageContent } from './message-content'
import { MessageTicks } from './message-ticks'

const QUICK_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🙏'] as const

type Props = {
  message: Message
  isGroup: boolean
  /** The quoted message, when it is loaded: clicking the quote scrolls to it. */
  onQuoteClick?: (messageKeyId: string) => void
  onReply?: (message: Message) => void
  onReact?: (message: Message, emoji: string) => void
  /** Send a FAILED message of ours again. */
  onRetry?: (message: Message) => void
  highlighted?: boolean
}

const bareKinds = new Set(['sticker'])

function ReactionPicker({ mine, onPick }: { mine?: string; onPick: (emoji: string) => void }) {
  const t = useT()
  const [open, setOpen] = useState(false)
  return (
    <Popover open={open} onOpenChange={setOpen}>
      <PopoverTrigger asChild>
        <button
          type="button"
          className="rounded-full p-1.5 text-slate-500 hover:bg-slate-200 hover:text-slate-800"
          aria-label={t('inbox.react')}
          title={t('inbox.react')}
          data-testid="inbox-message-react"
        >
          <SmilePlus className="size-4" aria-hidden />
        </button>
      </PopoverTrigger>
      <PopoverContent className="flex w-auto gap-1 rounded-full p-1" align="center" side="top">
        {QUICK_REACTIONS.map((emoji) => (
          <button
            key={emoji}
            type="button"
            className={cn(
              'flex size-9 items-center justify-center rounded-full text-xl transition-transform hover:scale-125 hover:bg-slate-100',
              mine === emoji && 'bg-emerald-100',
            )}
            aria-label={t('inbox.reactWith', { emoji })}
            aria-pressed={mine === emoji}
            onClick={() => {
              // Picking our current reaction again takes it back, as in WhatsApp.
              onPick(mine === emoji ? '' : emoji)
              setOpen(false)
            }}
          >
            {emoji}
          </button>
        ))}
      </PopoverContent>
    </Popover>
  )
}

export function MessageBubble({ message, isGroup, onQuoteClick, onReply, onReact, onRetry, highlighted }: Props) {
  const t = useT()
  const locale = useLocale()
  const outgoing = message.messageType === 'SENT'
  const bare = bareKinds.has(message.kind) && !message.deleted && message.media?.state === 'stored'
  const time = message.sentAt ?? message.createdAt
  const mine = message.reactions.find((reaction) => reaction.fromMe)?.emoji
  const canAct = !message.deleted && message.status !== 'PENDING' && message.status !== 'FAILED'
  const caption = message.kind !== 'text' && message.kind !== 'location' && message.kind !== 'contact'

  return (
    <div
      id={`message-${message.id}`}
      className={cn('group flex w-full flex-col', outgoing ? 'items-end' : 'items-start', message.reactions.length > 0 && 'mb-3')}
      data-testid="inbox-message"
      data-message-id={message.id}
      data-status={message.status}
      data-direction={message.messageType}
      data-kind={message.kind}
    >
      <div className={cn('relative flex max-w-[85%] items-center gap-1 sm:max-w-[70%]', outgoing && 'flex-row-reverse')}>
        <div
          className={cn(
            'relative min-w-0 rounded-lg text-sm text-slate-900 shadow-sm transition-colors',
            bare ? 'bg-transparent shadow-none' : outgoing ? 'bg-emerald-100' : 'bg-white',
            bare ? 'p-0' : 'px-2.5 pt-1.5 pb-1',
            highlighted && 'ring-2 ring-amber-400',
            message.status === 'FAILED' && 'ring-1 ring-red-300',
          )}
        >
          {isGroup && !outgoing && message.authorName && (
            <p className="mb-0.5 truncate text-xs font-semibold text-emerald-700">{message.authorName}</p>
          )}
          {outgoing && (message.isBot || message.sentBy?.name) && (
            <p className="mb-0.5 flex items-center gap-1 text-[0.7rem] font-medium text-emerald-800/70">
              {message.isBot ? <Bot className="size-3" aria-hidden /> : null}
              {message.isBot ? t('inbox.bot') : message.sentBy?.name}
            </p>
          )}
          {message.replyTo && !message.deleted && (
            <button
              type="button"
              onClick={() => onQuoteClick?.(message.replyTo!.messageKeyId)}
              className="mb-1 block w-full rounded border-l-4 border-emerald-600 bg-black/5 px-2 py-1 text-left text-xs text-slate-600 hover:bg-black/10"
              data-testid="inbox-message-quote"
            >
              <span className="line-clamp-2 whitespace-pre-wrap">{message.replyTo.text || t('inbox.quotedMedia')}</span>
            </button>
          )}
          {message.deleted ? (
            <p className="flex items-center gap-1.5 text-slate-500 italic" data-testid="inbox-message-deleted">
              <Ban className="size-3.5" aria-hidden />
              {t('inbox.deleted')}
            </p>
          ) : (
            <>
              {message.kind !== 'text' && <MessageContent message={message} />}
              {message.messageText && (message.kind === 'text' || caption) && (
                // React escapes it: message text is always shown as text, never as HTML.
                <p className={cn('break-words whitespace-pre-wrap', message.kind !== 'text' && 'mt-1')}>{message.messageText}</p>
              )}
              {message.aiMetadata && <MessageAiBadge metadata={message.aiMetadata} />}
            </>
          )}
          <span
            className={cn(
              'float-right mt-0.5 ml-2 flex items-center gap-1 text-[0.68rem] text-slate-500 tabular-nums',
              bare && 'rounded bg-white/80 px-1',
            )}
          >
            <time dateTime={time}>{clockTime(time, locale)}</time>
            {outgoing && <MessageTicks status={message.status} error={message.error} />}
          </span>
          {message.reactions.length > 0 && (
            <span
              className={cn(
                'absolute -bottom-3.5 flex gap-0.5 rounded-full border border-slate-200 bg-white px-1.5 py-0.5 text-xs shadow-sm',
                outgoing ? 'right-2' : 'left-2',
              )}
              data-testid="inbox-message-reactions"
            >
              {message.reactions.map((reaction, index) => (
                <span key={`${reaction.emoji}-${index}`} title={reaction.fromMe ? t('inbox.yourReaction') : undefined}>
                  {reaction.emoji}
                </span>
              ))}
            </span>
          )}
        </div>
        {canAct && (onReply || onReact) && (
          <div className="flex shrink-0 items-center gap-0.5 opacity-0 transition-opacity group-focus-within:opacity-100 group-hover:opacity-100">
            {onReply && (
              <button
                type="button"
                className="rounded-full p-1.5 text-slate-500 hover:bg-slate-200 hover:text-slate-800"
                aria-label={t('inbox.reply')}
                title={t('inbox.reply')}
                onClick={() => onReply(message)}
                data-testid="inbox-message-reply"
              >
                <Reply className="size-4" aria-hidden />
              </button>
            )}
            {onReact && <ReactionPicker mine={mine} onPick={(emoji) => onReact(message, emoji)} />}
          </div>
        )}
      </div>
      {message.status === 'FAILED' && outgoing && (
        <p className="mt-1 max-w-[85%] text-right text-xs text-red-600 sm:max-w-[70%]" data-testid="inbox-message-failed">
          {message.error ? t('inbox.failedWithError', { error: message.error }) : t('inbox.status.FAILED')} {t('inbox.failedHint')}
          {onRetry && !message.messageKeyId && (
            <button
              type="button"
              className="ml-2 font-medium underline underline-offset-2 hover:text-red-800"
              onClick={() => onRetry(message)}
              data-testid="inbox-message-retry"
            >
              {t('inbox.retry')}
            </button>
          )}
        </p>
      )}
    </div>
  )
}
