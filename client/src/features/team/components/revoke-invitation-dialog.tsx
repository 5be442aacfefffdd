import { Ban } from 'lucide-react'
import { ConfirmDestructiveDialog } from '@/components/confirm-destructive-dialog'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { useRevokeInvitation, type Invitation } from '../api/invitations'

export function RevokeInvitationDialog({ invitation }: { invitation: Invitation }) {
  const t = useT()
  const revoke = useRevokeInvitation()
  return (
    <ConfirmDestructiveDialog
      icon={<Ban aria-hidden />}
      title={t('team.revokeTitle', { email: invitation.email })}
      description={t('team.revokeBody')}
      confirmLabel={t('team.revoke')}
      testId="invitation-revoke"
      pending={revoke.isPending}
      error={revoke.error}
      onReset={() => revoke.reset()}
      onConfirm={(close) =>
        revoke.mutate(invitation.id, {
          onSuccess: () => {
            toast(t('team.revoked'))
            close()
          },
        })
      }
    />
  )
}
