import { Trash2 } from 'lucide-react'
import { ConfirmDestructiveDialog } from '@/components/confirm-destructive-dialog'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { useRemoveMember, type Member } from '../api/members'

export function RemoveMemberDialog({ member }: { member: Member }) {
  const t = useT()
  const removeMember = useRemoveMember()
  return (
    <ConfirmDestructiveDialog
      icon={<Trash2 aria-hidden />}
      title={t('team.removeTitle', { name: member.fullName })}
      description={t('team.removeBody', { email: member.email })}
      confirmLabel={t('common.remove')}
      testId="member-remove"
      pending={removeMember.isPending}
      error={removeMember.error}
      onReset={() => removeMember.reset()}
      onConfirm={(close) =>
        removeMember.mutate(member.id, {
          onSuccess: () => {
            toast(t('team.removed'))
            close()
          },
        })
      }
    />
  )
}
