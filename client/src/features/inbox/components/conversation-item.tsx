import { memo } from 'react'
import { Link } from 'react-router'
import { PauseCircle } from 'lucide-react'
import { AnalysisBadges } from '@/features/ai/components/analysis-badges'
import { useLocale, useT } from '@/lib/i18n'
import { cn } from '@/lib/utils'
import type { Conversation } from '../api/types'
import { formatPhone, KIND_ICON, KIND_LABEL, listTime } from '../format'
import { ConversationAvatar } from './conversation-avatar'
import { MessageTicks } from './message-ticks'

type Props = { conversation: Conversation; active: boolean; showInstance: boolean }

export const ConversationItem = memo(function ConversationItem({ conversation, active, showInstance }: Props) {
  const t = useT()
  const locale = useLocale()
  const name = conversation.contactName || formatPhone(conversation.contactNumber)
  const last = conversation.lastMessage
  const unread = active ? 0 : conversation.unreadCount
  const when = conversation.lastMessageAt ?? last?.createdAt
  const preview = last ? last.messageText || (last.kind !== 'text' ? t(KIND_LABEL[last.kind]) : '') : ''

  return (
    <li>
      <Link
        to={`/inbox/${encodeURIComponent(conversation.id)}`}
        aria-current={active ? 'page' : undefined}
        className={cn(
          'flex items-center gap-3 border-b border-slate-100 px-3 py-2.5 transition-colors hover:bg-slate-50',
          active && 'bg-slate-100 hover:bg-slate-100',
        )}
        data-testid="inbox-conversation-item"
        data-conversation-id={conversation.id}
        data-unread={unread}
      >
        <ConversationAvatar
          name={name}
          seed={conversation.id}
          isGroup={conversation.isGroup}
          photoUrl={conversation.contact?.avatarUrl}
        />
        <div className="min-w-0 flex-1">
          <div className="flex items-baseline gap-2">
            <p className="min-w-0 flex-1 truncate font-medium text-slate-900">{name}</p>
            {when && (
              <time dateTime={when} className={cn('shrink-0 text-xs', unread > 0 ? 'font-semibold text-emerald-600' : 'text-slate-400')}>
                {listTime(when, locale, t('inbox.yesterday'))}
              </time>
            )}
          </div>
          <div className="mt-0.5 flex items-center gap-1.5">
            <p className="flex min-w-0 flex-1 items-center gap-1 truncate text-sm text-slate-500" data-testid="inbox-conversation-preview">
              {last?.messageType === 'SENT' && <MessageTicks status={last.status} />}
              {last && last.kind !== 'text' && (
                <span aria-label={t(KIND_LABEL[last.kind])} role="img">
                  {KIND_ICON[last.kind]}
                </span>
              )}
              <span className="truncate">{preview || '\u00a0'}</span>
            </p>
            <AnalysisBadges analysis={conversation.aiState} />
            {conversation.isPaused && (
              <PauseCircle className="size-4 shrink-0 text-amber-500" aria-label={t('inbox.aiPaused')} data-testid="inbox-conversation-paused" />
            )}
            {unread > 0 && (
              <span
                className="flex h-5 min-w-5 shrink-0 items-center justify-center rounded-full bg-emerald-500 px-1.5 text-[0.68rem] font-bold text-white"
                aria-label={t('inbox.unreadCount', { count: unread })}
                data-testid="inbox-unread-badge"
              >
                {unread > 99 ? '99+' : unread}
              </span>
            )}
          </div>
          {showInstance && conversation.instanceName && (
            <p className="mt-0.5 truncate text-[0.7rem] text-slate-400">{conversation.instanceName}</p>
          )}
        </div>
      </Link>
    </li>
  )
})
