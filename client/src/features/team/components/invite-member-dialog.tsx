import { useState, type FormEvent } from 'react'
import { UserPlus } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from '@/components/ui/dialog'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Select } from '@/components/ui/select'
import { fieldErrors, formErrorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import type { Role } from '@/types/api'
import { useCreateInvitation, type CreatedInvitation } from '../api/invitations'
import { canGrant, initialPermissions, invitableRoles, validateInviteForm, type Inviter, type InviteFormValues } from '../validation'
import { InvitationLink } from './invitation-link'
import { PermissionCheckboxes } from './permission-checkboxes'

const FIELDS = ['email', 'role'] as const
const EMPTY: InviteFormValues = { email: '', role: 'member' }

type InviteMemberDialogProps = { inviter: Inviter; companyName: string }

export function InviteMemberDialog({ inviter, companyName }: InviteMemberDialogProps) {
  const t = useT()
  const [open, setOpen] = useState(false)
  const [values, setValues] = useState(EMPTY)
  const [permissions, setPermissions] = useState(() => initialPermissions('member', inviter))
  const [errors, setErrors] = useState<Partial<Record<keyof InviteFormValues, string>>>({})
  const [created, setCreated] = useState<CreatedInvitation | null>(null)
  const createInvitation = useCreateInvitation()
  const role = values.role as Role
  const isAdminRole = role === 'admin'

  function onOpenChange(next: boolean) {
    setOpen(next)
    if (!next) {
      // The link is gone for good once the dialog closes: the server never sends it again.
      setValues(EMPTY)
      setPermissions(initialPermissions('member', inviter))
      setErrors({})
      setCreated(null)
      createInvitation.reset()
    }
  }

  function changeRole(next: string) {
    setValues((current) => ({ ...current, role: next }))
    setPermissions(initialPermissions(next as Role, inviter))
  }

  const banner = formErrorMessage(createInvitation.error, t, FIELDS)

  function submit(event: FormEvent) {
    event.preventDefault()
    const found = validateInviteForm(values)
    setErrors(Object.fromEntries(Object.entries(found).map(([field, key]) => [field, t(key)])))
    if (Object.keys(found).length > 0) return
    createInvitation.mutate(
      // Admins hold every permission whatever is sent, so only the other roles carry them.
      { email: values.email.trim(), role, permissions: isAdminRole ? undefined : permissions },
      {
        onSuccess: setCreated,
        onError: (error) => setErrors(fieldErrors(error, FIELDS)),
      },
    )
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button data-testid="team-invite-member">
          <UserPlus aria-hidden />
          {t('team.invite')}
        </Button>
      </DialogTrigger>
      <DialogContent
        closeLabel={t('common.close')}
        // A stray click outside must not throw away a link that cannot be shown again.
        onInteractOutside={(event) => {
          if (created) event.preventDefault()
        }}
      >
        {created ? (
          <>
            <DialogHeader>
              <DialogTitle>{t('team.inviteCreatedTitle')}</DialogTitle>
              <DialogDescription>{t('team.inviteCreatedDescription', { email: created.email })}</DialogDescription>
            </DialogHeader>
            <InvitationLink invitation={created} companyName={companyName} />
            <DialogFooter>
              <Button type="button" variant="outline" onClick={() => onOpenChange(false)} data-testid="invite-done">
                {t('team.inviteDone')}
              </Button>
            </DialogFooter>
          </>
        ) : (
          <>
            <DialogHeader>
              <DialogTitle>{t('team.inviteTitle')}</DialogTitle>
              <DialogDescription>{t('team.inviteDescription')}</DialogDescription>
            </DialogHeader>
            <form onSubmit={submit} noValidate className="grid gap-4" data-testid="invite-form">
              {banner && <Alert>{banner}</Alert>}
              <FormField label={t('auth.email')} error={errors.email}>
                <Input
                  name="email"
                  type="email"
                  autoComplete="off"
                  value={values.email}
                  onChange={(event) => setValues((current) => ({ ...current, email: event.target.value }))}
                />
              </FormField>
              <FormField label={t('team.role')} error={errors.role}>
                <Select name="role" value={values.role} onChange={(event) => changeRole(event.target.value)}>
                  {invitableRoles(inviter).map((option) => (
                    <option key={option} value={option}>
                      {t(`role.${option}`)}
                    </option>
                  ))}
                </Select>
              </FormField>
              <PermissionCheckboxes
                value={permissions}
                onChange={setPermissions}
                disabled={isAdminRole}
                isLocked={(key) => !canGrant(inviter, key)}
                hint={isAdminRole ? t('team.adminHasAll') : undefined}
              />
              <DialogFooter>
                <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
                  {t('common.cancel')}
                </Button>
                <Button type="submit" loading={createInvitation.isPending} data-testid="invite-form-submit">
                  {t('team.inviteSubmit')}
                </Button>
              </DialogFooter>
            </form>
          </>
        )}
      </DialogContent>
    </Dialog>
  )
}
