import { Link } from 'react-router'
import { Archive, ArchiveRestore, ArrowLeft, Bot, Pause, Trash2 } from 'lucide-react'
import { ConfirmDestructiveDialog } from '@/components/confirm-destructive-dialog'
import { Button } from '@/components/ui/button'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { cn } from '@/lib/utils'
import { isCompanyAdmin, useMe } from '@/features/auth/api/me'
import { AiPanelToggle } from '@/features/ai/components/conversation-ai-panel'
import { useDeleteConversation, useSetArchived, useTogglePause } from '../api/conversations'
import type { Conversation } from '../api/types'
import { formatPhone } from '../format'
import { ConversationAvatar } from './conversation-avatar'

type Props = { conversation: Conversation; onDeleted: () => void }

export function ChatHeader({ conversation, onDeleted }: Props) {
  const t = useT()
  const togglePause = useTogglePause()
  const setArchived = useSetArchived()
  const remove = useDeleteConversation()
  const { data: me } = useMe()
  // Deleting is permanent (messages and files): the API allows it to WhatsApp managers only.
  const canDelete = isCompanyAdmin(me) || (me?.permissions.canManageWhatsApp ?? false)
  const name = conversation.contactName || formatPhone(conversation.contactNumber)
  const onError = (error: unknown) => toast(errorMessage(error, t), 'error')

  return (
    <header className="flex items-center gap-3 border-b border-slate-200 bg-slate-50 px-3 py-2" data-testid="inbox-chat-header">
      <Link to="/inbox" className="rounded-full p-1.5 text-slate-600 hover:bg-slate-200 md:hidden" aria-label={t('inbox.back')}>
        <ArrowLeft className="size-5" aria-hidden />
      </Link>
      <ConversationAvatar
        name={name}
        seed={conversation.id}
        isGroup={conversation.isGroup}
        photoUrl={conversation.contact?.avatarUrl}
        className="size-10"
      />
      <div className="min-w-0 flex-1">
        <h2 className="truncate font-semibold text-slate-900">{name}</h2>
        <p className="truncate text-xs text-slate-500">
          {!conversation.isGroup && formatPhone(conversation.contactNumber)}
          {conversation.instanceName && (
            <>
              {!conversation.isGroup && ' · '}
              {t('inbox.via', { instance: conversation.instanceName })}
            </>
          )}
        </p>
      </div>
      <button
        type="button"
        role="switch"
        aria-checked={!conversation.isPaused}
        disabled={togglePause.isPending}
        onClick={() => togglePause.mutate(conversation.id, { onError })}
        title={conversation.isPaused ? t('inbox.aiPausedHint') : t('inbox.aiActiveHint')}
        className={cn(
          'flex shrink-0 items-center gap-1.5 rounded-full border px-3 py-1 text-xs font-medium transition-colors disabled:opacity-60',
          conversation.isPaused
            ? 'border-amber-300 bg-amber-50 text-amber-800 hover:bg-amber-100'
            : 'border-emerald-300 bg-emerald-50 text-emerald-800 hover:bg-emerald-100',
        )}
        data-testid="inbox-pause-toggle"
        data-paused={conversation.isPaused}
      >
        {conversation.isPaused ? <Pause className="size-3.5" aria-hidden /> : <Bot className="size-3.5" aria-hidden />}
        <span className="hidden sm:inline">{conversation.isPaused ? t('inbox.aiPaused') : t('inbox.aiActive')}</span>
        <span className="sr-only sm:hidden">{conversation.isPaused ? t('inbox.aiPaused') : t('inbox.aiActive')}</span>
      </button>
      <AiPanelToggle />
      <Button
        variant="ghost"
        size="icon"
        loading={setArchived.isPending}
        onClick={() =>
          setArchived.mutate(
            { id: conversation.id, archived: !conversation.isArchived },
            {
              onSuccess: ({ isArchived }) => toast(isArchived ? t('inbox.archived') : t('inbox.unarchived')),
              onError,
            },
          )
        }
        aria-label={conversation.isArchived ? t('inbox.unarchive') : t('inbox.archive')}
        title={conversation.isArchived ? t('inbox.unarchive') : t('inbox.archive')}
        data-testid="inbox-archive-toggle"
      >
        {!setArchived.isPending && (conversation.isArchived ? <ArchiveRestore aria-hidden /> : <Archive aria-hidden />)}
      </Button>
      {canDelete && (
        <ConfirmDestructiveDialog
          icon={<Trash2 aria-hidden />}
          title={t('inbox.deleteTitle', { name })}
          description={t('inbox.deleteBody')}
          confirmLabel={t('common.remove')}
          testId="inbox-delete-conversation"
          pending={remove.isPending}
          error={remove.error}
          onReset={() => remove.reset()}
          onConfirm={(close) =>
            remove.mutate(conversation.id, {
              onSuccess: () => {
                toast(t('inbox.conversationDeleted'))
                close()
                onDeleted()
              },
            })
          }
        />
      )}
    </header>
  )
}
