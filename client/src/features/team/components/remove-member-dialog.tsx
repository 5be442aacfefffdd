import { useState } from 'react'
import { Trash2 } from 'lucide-react'
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
import { useRemoveMember, type Member } from '../api/members'

export function RemoveMemberDialog({ member }: { member: Member }) {
  const t = useT()
  const [open, setOpen] = useState(false)
  const removeMember = useRemoveMember()

  function onOpenChange(next: boolean) {
    setOpen(next)
    if (next) removeMember.reset()
  }

  // Not an AlertDialogAction: that closes the dialog at once, and a refusal (such as
  // removing the last admin, 422) has to stay visible.
  function confirm() {
    removeMember.mutate(member.id, {
      onSuccess: () => {
        toast(t('team.removed'))
        setOpen(false)
      },
    })
  }

  return (
    <AlertDialog open={open} onOpenChange={onOpenChange}>
      <AlertDialogTrigger asChild>
        <Button
          variant="ghost"
          size="icon"
          className="text-red-600 hover:bg-red-50 hover:text-red-700"
          aria-label={t('team.removeTitle', { name: member.fullName })}
          data-testid="member-remove"
        >
          <Trash2 aria-hidden />
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogTitle>{t('team.removeTitle', { name: member.fullName })}</AlertDialogTitle>
        <AlertDialogDescription>{t('team.removeBody', { email: member.email })}</AlertDialogDescription>
        {removeMember.error && <Alert>{errorMessage(removeMember.error, t)}</Alert>}
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <AlertDialogCancel asChild>
            <Button variant="outline">{t('common.cancel')}</Button>
          </AlertDialogCancel>
          <Button variant="destructive" loading={removeMember.isPending} onClick={confirm} data-testid="member-remove-confirm">
            {t('common.remove')}
          </Button>
        </div>
      </AlertDialogContent>
    </AlertDialog>
  )
}
