import { Trash2 } from 'lucide-react'
import { ConfirmDestructiveDialog } from '@/components/confirm-destructive-dialog'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { useDeleteQuickReply, type QuickReply } from '../api/quick-replies'

export function DeleteQuickReplyDialog({ reply }: { reply: QuickReply }) {
  const t = useT()
  const remove = useDeleteQuickReply()
  return (
    <ConfirmDestructiveDialog
      icon={<Trash2 aria-hidden />}
      title={t('quickReplies.deleteTitle', { shortcut: reply.shortcut })}
      description={t('quickReplies.deleteBody', { title: reply.title })}
      confirmLabel={t('quickReplies.deleteConfirm')}
      testId="quick-reply-delete"
      pending={remove.isPending}
      error={remove.error}
      onReset={() => remove.reset()}
      onConfirm={(close) =>
        remove.mutate(reply.id, {
          onSuccess: () => {
            toast(t('quickReplies.deleted'))
            close()
          },
        })
      }
    />
  )
}
