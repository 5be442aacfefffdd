import { useState, type FormEvent } from 'react'
import { Pencil } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from '@/components/ui/dialog'
import { FormField } from '@/components/ui/form-field'
import { Select } from '@/components/ui/select'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import type { Permissions, Role } from '@/types/api'
import { useUpdateMember, type Member } from '../api/members'
import { ROLES } from '../validation'
import { PermissionCheckboxes } from './permission-checkboxes'

export function EditMemberDialog({ member }: { member: Member }) {
  const t = useT()
  const [open, setOpen] = useState(false)
  const [role, setRole] = useState<Role>(member.role)
  const [permissions, setPermissions] = useState<Permissions>(member.permissions)
  const updateMember = useUpdateMember()

  function onOpenChange(next: boolean) {
    setOpen(next)
    if (next) {
      // Start from the member as it is now, not as it was when the row first rendered.
      setRole(member.role)
      setPermissions(member.permissions)
      updateMember.reset()
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault()
    updateMember.mutate(
      { id: member.id, role, permissions },
      {
        onSuccess: () => {
          toast(t('team.updated'))
          setOpen(false)
        },
      },
    )
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button variant="ghost" size="icon" aria-label={t('team.editTitle', { name: member.fullName })} data-testid="member-edit">
          <Pencil aria-hidden />
        </Button>
      </DialogTrigger>
      <DialogContent closeLabel={t('common.close')} aria-describedby={undefined}>
        <DialogHeader>
          <DialogTitle>{t('team.editTitle', { name: member.fullName })}</DialogTitle>
        </DialogHeader>
        <form onSubmit={submit} className="grid gap-4">
          {updateMember.error && <Alert>{errorMessage(updateMember.error, t)}</Alert>}
          <FormField label={t('team.role')}>
            <Select name="role" value={role} onChange={(event) => setRole(event.target.value as Role)}>
              {ROLES.map((option) => (
                <option key={option} value={option}>
                  {t(`role.${option}`)}
                </option>
              ))}
            </Select>
          </FormField>
          <PermissionCheckboxes value={permissions} onChange={setPermissions} />
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={updateMember.isPending}>
              {t('common.save')}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  )
}
