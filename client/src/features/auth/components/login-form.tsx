import { useState, type FormEvent } from 'react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { fieldErrors, formErrorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { email, required, validate } from '@/lib/validation'
import { useLogin, type LoginInput } from '../api/session'

const FIELDS = ['email', 'password'] as const

export function LoginForm() {
  const t = useT()
  const login = useLogin()
  const [values, setValues] = useState<LoginInput>({ email: '', password: '' })
  const [errors, setErrors] = useState<Partial<Record<keyof LoginInput, string>>>({})

  const change = (field: keyof LoginInput) => (event: { target: { value: string } }) =>
    setValues((current) => ({ ...current, [field]: event.target.value }))

  const banner = formErrorMessage(login.error, t, FIELDS)

  function submit(event: FormEvent) {
    event.preventDefault()
    const found = validate(values, { email, password: required })
    setErrors(Object.fromEntries(Object.entries(found).map(([field, key]) => [field, t(key)])))
    if (Object.keys(found).length > 0) return
    login.mutate(
      { email: values.email.trim(), password: values.password },
      { onError: (error) => setErrors(fieldErrors(error, FIELDS)) },
    )
  }

  return (
    <form onSubmit={submit} noValidate className="grid gap-4" data-testid="login-form">
      {banner && <Alert>{banner}</Alert>}
      <FormField label={t('auth.email')} error={errors.email}>
        <Input name="email" type="email" autoComplete="email" value={values.email} onChange={change('email')} autoFocus />
      </FormField>
      <FormField label={t('auth.password')} error={errors.password}>
        <Input name="password" type="password" autoComplete="current-password" value={values.password} onChange={change('password')} />
      </FormField>
      <Button type="submit" loading={login.isPending} data-testid="login-submit">
        {t('auth.login.submit')}
      </Button>
    </form>
  )
}
