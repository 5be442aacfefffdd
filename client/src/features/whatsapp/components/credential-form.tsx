import { useState, type FormEvent } from 'react'
import { Plus } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Select } from '@/components/ui/select'
import { fieldErrors, formErrorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { useCreateCredential } from '../api/credentials'
import { PROVIDERS, type Provider } from '../api/types'
import { validateCredential } from '../validation'

const FIELDS = ['provider', 'apiUrl', 'apiKey'] as const
type Values = { provider: Provider; apiUrl: string; apiKey: string }
const EMPTY: Values = { provider: 'EVOLUTION', apiUrl: '', apiKey: '' }

/** Adds a gateway's URL and key; the server tries them before saving (422 when they fail). */
export function CredentialForm() {
  const t = useT()
  const [values, setValues] = useState<Values>(EMPTY)
  const [errors, setErrors] = useState<Partial<Record<(typeof FIELDS)[number], string>>>({})
  const create = useCreateCredential()
  const banner = formErrorMessage(create.error, t, FIELDS)

  const set = (field: keyof Values) => (event: { target: { value: string } }) =>
    setValues((current) => ({ ...current, [field]: event.target.value }))

  function submit(event: FormEvent) {
    event.preventDefault()
    const found = validateCredential(values)
    setErrors(Object.fromEntries(Object.entries(found).map(([field, key]) => [field, t(key)])))
    if (Object.keys(found).length > 0) return
    create.mutate(
      { provider: values.provider, apiUrl: values.apiUrl.trim(), apiKey: values.apiKey.trim() },
      {
        onSuccess: () => {
          toast(t('whatsapp.credentialCreated'))
          setValues(EMPTY)
          setErrors({})
        },
        onError: (error) => setErrors(fieldErrors(error, FIELDS)),
      },
    )
  }

  return (
    <form onSubmit={submit} noValidate className="grid gap-4" data-testid="credential-form">
      {banner && <Alert data-testid="credential-form-error">{banner}</Alert>}
      <div className="grid items-start gap-4 md:grid-cols-[12rem_1fr]">
        <FormField label={t('whatsapp.provider')} error={errors.provider}>
          <Select name="provider" value={values.provider} onChange={set('provider')} data-testid="credential-form-provider">
            {PROVIDERS.map((provider) => (
              <option key={provider} value={provider}>
                {t(`whatsapp.providerName.${provider}`)}
              </option>
            ))}
          </Select>
        </FormField>
        <FormField label={t('whatsapp.apiUrl')} error={errors.apiUrl} hint={t('whatsapp.apiUrlHint')}>
          <Input
            name="apiUrl"
            type="url"
            inputMode="url"
            autoComplete="off"
            placeholder="https://evolution.example.com"
            value={values.apiUrl}
            onChange={set('apiUrl')}
            data-testid="credential-form-url"
          />
        </FormField>
      </div>
      <FormField label={t('whatsapp.apiKey')} error={errors.apiKey}>
        <Input
          name="apiKey"
          type="password"
          autoComplete="new-password"
          value={values.apiKey}
          onChange={set('apiKey')}
          data-testid="credential-form-key"
        />
      </FormField>
      <div className="flex justify-end">
        <Button type="submit" loading={create.isPending} data-testid="credential-form-submit">
          <Plus aria-hidden />
          {t('whatsapp.addCredential')}
        </Button>
      </div>
    </form>
  )
}
