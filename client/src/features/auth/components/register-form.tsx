import { useState, type FormEvent } from 'react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { fieldErrors, formErrorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { email, name, password, validate } from '@/lib/validation'
import { useRegister, type RegisterInput } from '../api/session'

const FIELDS = ['fullName', 'companyName', 'email', 'password'] as const
type Field = (typeof FIELDS)[number]

export function RegisterForm() {
  const t = useT()
  const register = useRegister()
  const [values, setValues] = useState<RegisterInput>({ fullName: '', companyName: '', email: '', password: '' })
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({})

  const change = (field: Field) => (event: { target: { value: string } }) =>
    setValues((current) => ({ ...current, [field]: event.target.value }))

  const banner = formErrorMessage(register.error, t, FIELDS)

  function submit(event: FormEvent) {
    event.preventDefault()
    const found = validate(values, { fullName: name, companyName: name, email, password })
    setErrors(Object.fromEntries(Object.entries(found).map(([field, key]) => [field, t(key)])))
    if (Object.keys(found).length > 0) return
    register.mutate(
      {
        fullName: values.fullName.trim(),
        companyName: values.companyName.trim(),
        email: values.email.trim(),
        password: values.password,
      },
      { onError: (error) => setErrors(fieldErrors(error, FIELDS)) },
    )
  }

  return (
    <form onSubmit={submit} noValidate className="grid gap-4" data-testid="register-form">
      {banner && <Alert>{banner}</Alert>}
      <FormField label={t('auth.fullName')} error={errors.fullName}>
        <Input name="fullName" autoComplete="name" value={values.fullName} onChange={change('fullName')} autoFocus />
      </FormField>
      <FormField label={t('auth.companyName')} error={errors.companyName}>
        <Input name="companyName" autoComplete="organization" value={values.companyName} onChange={change('companyName')} />
      </FormField>
      <FormField label={t('auth.email')} error={errors.email}>
        <Input name="email" type="email" autoComplete="email" value={values.email} onChange={change('email')} />
      </FormField>
      <FormField label={t('auth.password')} error={errors.password} hint={t('auth.passwordHint')}>
        <Input name="password" type="password" autoComplete="new-password" value={values.password} onChange={change('password')} />
      </FormField>
      <Button type="submit" loading={register.isPending} data-testid="register-submit">
        {t('auth.register.submit')}
      </Button>
    </form>
  )
}
