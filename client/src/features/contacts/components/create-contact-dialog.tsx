import { useState, type FormEvent } from 'react'
import { useNavigate } from 'react-router'
import { UserPlus } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from '@/components/ui/dialog'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Textarea } from '@/components/ui/textarea'
import { fieldErrors, formErrorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { useCreateContact } from '../api/contacts'
import { existingContactId, validateContactForm } from '../validation'
import { ContactExistsAlert } from './contact-exists-alert'

const FIELDS = ['phoneNumber', 'name', 'email', 'notes'] as const
type Field = (typeof FIELDS)[number]
type Values = Record<Field, string>
const EMPTY: Values = { phoneNumber: '', name: '', email: '', notes: '' }

const optional = (value: string) => value.trim() || undefined

export function CreateContactDialog() {
  const t = useT()
  const navigate = useNavigate()
  const [open, setOpen] = useState(false)
  const [values, setValues] = useState(EMPTY)
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({})
  const create = useCreateContact()
  const duplicate = existingContactId(create.error) !== null
  const banner = duplicate ? null : formErrorMessage(create.error, t, FIELDS)

  function onOpenChange(next: boolean) {
    setOpen(next)
    if (!next) {
      setValues(EMPTY)
      setErrors({})
      create.reset()
    }
  }

  const set = (field: Field) => (event: { target: { value: string } }) =>
    setValues((current) => ({ ...current, [field]: event.target.value }))

  function submit(event: FormEvent) {
    event.preventDefault()
    const found = validateContactForm(values)
    setErrors(Object.fromEntries(Object.entries(found).map(([field, key]) => [field, t(key)])))
    if (Object.keys(found).length > 0) return
    create.mutate(
      {
        phoneNumber: values.phoneNumber.trim(),
        name: optional(values.name),
        email: optional(values.email),
        notes: optional(values.notes),
      },
      {
        onSuccess: (contact) => {
          toast(t('contacts.created'))
          onOpenChange(false)
          void navigate(`/contacts/${encodeURIComponent(contact.id)}`)
        },
        onError: (error) => setErrors(fieldErrors(error, FIELDS)),
      },
    )
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button data-testid="contact-create">
          <UserPlus aria-hidden />
          {t('contacts.new')}
        </Button>
      </DialogTrigger>
      <DialogContent closeLabel={t('common.close')}>
        <DialogHeader>
          <DialogTitle>{t('contacts.newTitle')}</DialogTitle>
          <DialogDescription>{t('contacts.newDescription')}</DialogDescription>
        </DialogHeader>
        <form onSubmit={submit} noValidate className="grid gap-4" data-testid="contact-create-form">
          <ContactExistsAlert error={create.error} onNavigate={() => onOpenChange(false)} />
          {banner && <Alert>{banner}</Alert>}
          <FormField label={t('contacts.field.phone')} hint={t('contacts.field.phoneHint')} error={errors.phoneNumber}>
            <Input
              name="phoneNumber"
              type="tel"
              inputMode="tel"
              autoComplete="off"
              value={values.phoneNumber}
              onChange={set('phoneNumber')}
              data-testid="contact-create-phone"
            />
          </FormField>
          <FormField label={t('contacts.field.name')} error={errors.name}>
            <Input name="name" autoComplete="off" value={values.name} onChange={set('name')} data-testid="contact-create-name" />
          </FormField>
          <FormField label={t('contacts.field.email')} error={errors.email}>
            <Input
              name="email"
              type="email"
              autoComplete="off"
              value={values.email}
              onChange={set('email')}
              data-testid="contact-create-email"
            />
          </FormField>
          <FormField label={t('contacts.field.notes')} error={errors.notes}>
            <Textarea name="notes" rows={3} value={values.notes} onChange={set('notes')} data-testid="contact-create-notes" />
          </FormField>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} data-testid="contact-create-submit">
              {t('contacts.createSubmit')}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  )
}
