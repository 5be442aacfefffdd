import { useState } from 'react'
import { Ban } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogTitle,
  AlertDialogTrigger,
} from '@/components/ui/alert-dialog'
import { Button } from '@/components/ui/button'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { useRevokeInvitation, type Invitation } from '../api/invitations'

export function RevokeInvitationDialog({ invitation }: { invitation: Invitation }) {
  const t = useT()
  const [open, setOpen] = useState(false)
  const revoke = useRevokeInvitation()

  function onOpenChange(next: boolean) {
    setOpen(next)
    if (next) revoke.reset()
  }

  // Not an AlertDialogAction, which would close at once and hide a refusal.
  function confirm() {
    revoke.mutate(invitation.id, {
      onSuccess: () => {
        toast(t('team.revoked'))
        setOpen(false)
      },
    })
  }

  const title = t('team.revokeTitle', { email: invitation.email })
  return (
    <AlertDialog open={open} onOpenChange={onOpenChange}>
      <AlertDialogTrigger asChild>
        <Button
          variant="ghost"
          size="icon"
          className="text-red-600 hover:bg-red-50 hover:text-red-700"
          aria-label={title}
          data-testid="invitation-revoke"
        >
          <Ban aria-hidden />
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogTitle>{title}</AlertDialogTitle>
        <AlertDialogDescription>{t('team.revokeBody')}</AlertDialogDescription>
        {revoke.error && <Alert>{errorMessage(revoke.error, t)}</Alert>}
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <AlertDialogCancel asChild>
            <Button variant="outline">{t('common.cancel')}</Button>
          </AlertDialogCancel>
          <Button variant="destructive" loading={revoke.isPending} onClick={confirm} data-testid="invitation-revoke-confirm">
            {t('team.revoke')}
          </Button>
        </div>
      </AlertDialogContent>
    </AlertDialog>
  )
}
