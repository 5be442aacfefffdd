import { useState, type FormEvent } from 'react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { fieldErrors, formErrorMessage } from '@/lib/errors'
import { useT, type MessageKey } from '@/lib/i18n'
import { name, password, validate } from '@/lib/validation'
import type { NewAccountInput } from '../api/invitation'

const FIELDS = ['fullName', 'password'] as const
type Values = NewAccountInput & { confirm: string }
type Field = keyof Values

type InvitationSignupFormProps = {
  email: string
  onSubmit: (input: NewAccountInput) => void
  pending: boolean
  /** The last failed attempt; its details[] go under the matching fields. */
  error: unknown
}

/** Presentational: the page owns the request, so it can move on even if this form unmounts. */
export function InvitationSignupForm({ email, onSubmit, pending, error }: InvitationSignupFormProps) {
  const t = useT()
  const [values, setValues] = useState<Values>({ fullName: '', password: '', confirm: '' })
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({})

  const change = (field: Field) => (event: { target: { value: string } }) =>
    setValues((current) => ({ ...current, [field]: event.target.value }))

  const shown = { ...fieldErrors(error, FIELDS), ...errors }
  const banner = formErrorMessage(error, t, FIELDS)

  function submit(event: FormEvent) {
    event.preventDefault()
    const found: Partial<Record<Field, MessageKey>> = validate(values, { fullName: name, password })
    if (!found.password && values.confirm !== values.password) found.confirm = 'validation.passwordMatch'
    setErrors(Object.fromEntries(Object.entries(found).map(([field, key]) => [field, t(key)])))
    if (Object.keys(found).length > 0) return
    onSubmit({ fullName: values.fullName.trim(), password: values.password })
  }

  return (
    <form onSubmit={submit} noValidate className="grid gap-4" data-testid="invite-signup-form">
      {banner && <Alert>{banner}</Alert>}
      {/* Lets password managers file the new password under the right account. */}
      <input type="email" name="email" value={email} autoComplete="username" readOnly hidden />
      <FormField label={t('auth.fullName')} error={shown.fullName}>
        <Input name="fullName" autoComplete="name" value={values.fullName} onChange={change('fullName')} autoFocus />
      </FormField>
      <FormField label={t('auth.password')} error={shown.password} hint={t('auth.passwordHint')}>
        <Input name="password" type="password" autoComplete="new-password" value={values.password} onChange={change('password')} />
      </FormField>
      <FormField label={t('invite.confirmPassword')} error={shown.confirm}>
        <Input name="confirm" type="password" autoComplete="new-password" value={values.confirm} onChange={change('confirm')} />
      </FormField>
      <Button type="submit" loading={pending} data-testid="invite-signup-submit">
        {t('invite.createAndAccept')}
      </Button>
    </form>
  )
}
