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
import { toast } from '@/lib/toast'
import type { Role } from '@/types/api'
import { useAddMember } from '../api/members'
import { ROLES, validateMemberForm, type MemberFormValues } from '../validation'

const EMPTY: MemberFormValues = { email: '', fullName: '', role: 'member', password: '' }
const FIELDS = ['email', 'fullName', 'role', 'password'] as const

export function AddMemberDialog() {
  const t = useT()
  const [open, setOpen] = useState(false)
  const [values, setValues] = useState(EMPTY)
  const [errors, setErrors] = useState<Partial<Record<keyof MemberFormValues, string>>>({})
  const addMember = useAddMember()

  function onOpenChange(next: boolean) {
    setOpen(next)
    if (!next) {
      setValues(EMPTY)
      setErrors({})
      addMember.reset()
    }
  }

  const change = (field: keyof MemberFormValues) => (event: { target: { value: string } }) =>
    setValues((current) => ({ ...current, [field]: event.target.value }))

  const banner = formErrorMessage(addMember.error, t, FIELDS)

  function submit(event: FormEvent) {
    event.preventDefault()
    const found = validateMemberForm(values)
    setErrors(Object.fromEntries(Object.entries(found).map(([field, key]) => [field, t(key)])))
    if (Object.keys(found).length > 0) return
    addMember.mutate(
      {
        email: values.email.trim(),
        role: values.role as Role,
        fullName: values.fullName.trim() || undefined,
        password: values.password || undefined,
      },
      {
        onSuccess: (member) => {
          toast(t('team.added', { name: member.fullName || member.email }))
          onOpenChange(false)
        },
        onError: (error) => setErrors(fieldErrors(error, FIELDS)),
      },
    )
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button data-testid="team-add-member">
          <UserPlus aria-hidden />
          {t('team.add')}
        </Button>
      </DialogTrigger>
      <DialogContent closeLabel={t('common.close')}>
        <DialogHeader>
          <DialogTitle>{t('team.addTitle')}</DialogTitle>
          <DialogDescription>{t('team.addDescription')}</DialogDescription>
        </DialogHeader>
        <form onSubmit={submit} noValidate className="grid gap-4" data-testid="member-form">
          {banner && <Alert>{banner}</Alert>}
          <FormField label={t('auth.email')} error={errors.email}>
            <Input name="email" type="email" autoComplete="off" value={values.email} onChange={change('email')} />
          </FormField>
          <FormField label={t('auth.fullName')} error={errors.fullName} hint={t('team.fullNameHint')}>
            <Input name="fullName" autoComplete="off" value={values.fullName} onChange={change('fullName')} />
          </FormField>
          <FormField label={t('team.role')} error={errors.role}>
            <Select name="role" value={values.role} onChange={change('role')}>
              {ROLES.map((role) => (
                <option key={role} value={role}>
                  {t(`role.${role}`)}
                </option>
              ))}
            </Select>
          </FormField>
          <FormField label={t('team.initialPassword')} error={errors.password} hint={t('team.fullNameHint')}>
            <Input name="password" type="password" autoComplete="new-password" value={values.password} onChange={change('password')} />
          </FormField>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={addMember.isPending} data-testid="member-form-submit">
              {t('team.add')}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  )
}
