import { useState } from 'react'
import { MessageSquarePlus, Trash2 } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogTitle,
} from '@/components/ui/alert-dialog'
import { Button } from '@/components/ui/button'
import { Spinner } from '@/components/ui/spinner'
import { errorMessage } from '@/lib/errors'
import { useFormat, useT } from '@/lib/i18n'
import { cn } from '@/lib/utils'
import { useAssistantConversations, useDeleteAssistantConversation, type AssistantConversation } from '../api/assistant'

type Props = { selectedId: string | null; onSelect: (id: string | null) => void }

/** The member's own conversations with the assistant, newest first. */
export function AssistantConversations({ selectedId, onSelect }: Props) {
  const t = useT()
  const format = useFormat()
  const conversations = useAssistantConversations()
  const remove = useDeleteAssistantConversation()
  const [toDelete, setToDelete] = useState<AssistantConversation | null>(null)

  function confirmDelete() {
    if (!toDelete) return
    const id = toDelete.id
    remove.mutate(id, {
      onSuccess: () => {
        setToDelete(null)
        if (id === selectedId) onSelect(null)
      },
    })
  }

  return (
    <div className="flex min-h-0 flex-col" data-testid="assistant-conversations">
      <div className="border-b border-slate-200 p-3">
        <Button variant="outline" className="w-full" onClick={() => onSelect(null)} data-testid="assistant-new">
          <MessageSquarePlus aria-hidden />
          {t('aiAssistant.new')}
        </Button>
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto">
        {conversations.isPending ? (
          <Spinner label={t('common.loading')} />
        ) : conversations.isError ? (
          <div className="p-3">
            <Alert>{errorMessage(conversations.error, t)}</Alert>
          </div>
        ) : conversations.data.length === 0 ? (
          <p className="p-4 text-center text-xs text-slate-500" data-testid="assistant-conversations-empty">
            {t('aiAssistant.noConversations')}
          </p>
        ) : (
          <ul>
            {conversations.data.map((conversation) => {
              const active = conversation.id === selectedId
              return (
                <li
                  key={conversation.id}
                  className={cn('group flex items-center border-b border-slate-100', active ? 'bg-slate-100' : 'hover:bg-slate-50')}
                  data-testid="assistant-conversation"
                  data-conversation-id={conversation.id}
                >
                  <button
                    type="button"
                    className="min-w-0 flex-1 px-3 py-2 text-left"
                    aria-current={active ? 'true' : undefined}
                    onClick={() => onSelect(conversation.id)}
                  >
                    <span className="block truncate text-sm font-medium text-slate-900">{conversation.title}</span>
                    <span className="block text-[0.7rem] text-slate-500">
                      {format.dateTime(conversation.lastMessageAt)} · {t('aiAssistant.messageCount', { count: conversation.messageCount })}
                    </span>
                  </button>
                  <Button
                    variant="ghost"
                    size="icon"
                    className="mr-1 shrink-0 text-slate-400 hover:text-red-700"
                    aria-label={t('aiAssistant.delete', { title: conversation.title })}
                    title={t('aiAssistant.delete', { title: conversation.title })}
                    onClick={() => {
                      remove.reset()
                      setToDelete(conversation)
                    }}
                    data-testid="assistant-conversation-delete"
                  >
                    <Trash2 aria-hidden />
                  </Button>
                </li>
              )
            })}
          </ul>
        )}
      </div>
      <AlertDialog open={toDelete !== null} onOpenChange={(open) => !open && setToDelete(null)}>
        <AlertDialogContent data-testid="assistant-delete-dialog">
          <AlertDialogTitle>{t('aiAssistant.deleteTitle')}</AlertDialogTitle>
          <AlertDialogDescription>{t('aiAssistant.deleteBody', { title: toDelete?.title ?? '' })}</AlertDialogDescription>
          {remove.error != null && <Alert>{errorMessage(remove.error, t)}</Alert>}
          <div className="flex justify-end gap-2">
            <AlertDialogCancel asChild>
              <Button type="button" variant="outline">
                {t('common.cancel')}
              </Button>
            </AlertDialogCancel>
            <Button variant="destructive" loading={remove.isPending} onClick={confirmDelete} data-testid="assistant-delete-confirm">
              {t('common.remove')}
            </Button>
          </div>
        </AlertDialogContent>
      </AlertDialog>
    </div>
  )
}
