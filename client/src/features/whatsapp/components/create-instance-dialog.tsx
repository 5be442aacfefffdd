import { useState, type FormEvent } from 'react'
import { Plus } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from '@/components/ui/dialog'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Select } from '@/components/ui/select'
import { fieldErrors, formErrorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { useCreateInstance } from '../api/instances'
import type { Instance, Provider } from '../api/types'
import { normaliseInstanceName, validateInstanceName } from '../validation'

const FIELDS = ['instanceName', 'provider'] as const

type Props = { providers: Provider[]; onCreated?: (instance: Instance) => void }

/** `providers`: those with an active credential (the server refuses the others with 422). */
export function CreateInstanceDialog({ providers, onCreated }: Props) {
  const t = useT()
  const [open, setOpen] = useState(false)
  const [name, setName] = useState('')
  const [provider, setProvider] = useState<Provider>(providers[0] ?? 'EVOLUTION')
  const [errors, setErrors] = useState<Partial<Record<(typeof FIELDS)[number], string>>>({})
  const create = useCreateInstance()
  const banner = formErrorMessage(create.error, t, FIELDS)

  function onOpenChange(next: boolean) {
    setOpen(next)
    if (next) {
      setName('')
      setProvider(providers[0] ?? 'EVOLUTION')
      setErrors({})
      create.reset()
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault()
    const problem = validateInstanceName(name)
    setErrors(problem ? { instanceName: t(problem) } : {})
    if (problem) return
    create.mutate(
      { instanceName: normaliseInstanceName(name), provider },
      {
        onSuccess: (instance) => {
          toast(t('whatsapp.instanceCreated', { name: instance.instanceName }))
          setOpen(false)
          onCreated?.(instance)
        },
        onError: (error) => setErrors(fieldErrors(error, FIELDS)),
      },
    )
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button data-testid="instance-create">
          <Plus aria-hidden />
          {t('whatsapp.newInstance')}
        </Button>
      </DialogTrigger>
      <DialogContent closeLabel={t('common.close')}>
        <DialogHeader>
          <DialogTitle>{t('whatsapp.newInstance')}</DialogTitle>
          <DialogDescription>{t('whatsapp.newInstanceBody')}</DialogDescription>
        </DialogHeader>
        <form onSubmit={submit} noValidate className="grid gap-4" data-testid="instance-create-form">
          {banner && <Alert>{banner}</Alert>}
          <FormField label={t('whatsapp.instanceName')} error={errors.instanceName} hint={t('whatsapp.instanceNameHint')}>
            <Input
              name="instanceName"
              autoComplete="off"
              maxLength={50}
              value={name}
              onChange={(event) => setName(event.target.value)}
              data-testid="instance-create-name"
            />
          </FormField>
          {providers.length > 0 && (
            <FormField label={t('whatsapp.provider')} error={errors.provider}>
              <Select name="provider" value={provider} disabled={providers.length === 1} onChange={(event) => setProvider(event.target.value as Provider)}>
                {providers.map((option) => (
                  <option key={option} value={option}>
                    {t(`whatsapp.providerName.${option}`)}
                  </option>
                ))}
              </Select>
            </FormField>
          )}
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} data-testid="instance-create-submit">
              {t('whatsapp.create')}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  )
}
