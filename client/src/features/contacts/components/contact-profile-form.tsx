import { useState, type FormEvent } from 'react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Textarea } from '@/components/ui/textarea'
import { fieldErrors, formErrorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { useUpdateContact } from '../api/contacts'
import type { Contact, ContactInput } from '../api/types'
import { customFieldsError, toCustomFields, toRows, type FieldRow } from '../custom-fields'
import { existingContactId, validateContactForm } from '../validation'
import { ContactExistsAlert } from './contact-exists-alert'
import { CustomFieldsEditor } from './custom-fields-editor'

const FIELDS = ['phoneNumber', 'name', 'email', 'notes', 'customFields'] as const
type Field = (typeof FIELDS)[number]

type Props = { contact: Contact; onDone: () => void }

export function ContactProfileForm({ contact, onDone }: Props) {
  const t = useT()
  const update = useUpdateContact(contact.id)
  // The number of a contact that already talks to us is its WhatsApp identity: the API refuses to change it.
  const phoneEditable = contact.conversations.length === 0
  const [values, setValues] = useState({
    name: contact.name ?? '',
    email: contact.email ?? '',
    notes: contact.notes ?? '',
    phoneNumber: contact.phoneNumber ?? '',
  })
  const [rows, setRows] = useState<FieldRow[]>(() => toRows(contact.customFields))
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({})
  const duplicate = existingContactId(update.error) !== null
  const banner = duplicate ? null : formErrorMessage(update.error, t, FIELDS)

  const set = (field: keyof typeof values) => (event: { target: { value: string } }) =>
    setValues((current) => ({ ...current, [field]: event.target.value }))

  function submit(event: FormEvent) {
    event.preventDefault()
    const found: Partial<Record<Field, string>> = Object.fromEntries(
      Object.entries(validateContactForm(values, false)).map(([field, key]) => [field, t(key)]),
    )
    const rowsProblem = customFieldsError(rows)
    if (rowsProblem) found.customFields = t(rowsProblem)
    setErrors(found)
    if (Object.keys(found).length > 0) return

    const input: ContactInput = {
      // Emptied fields go as null so the server clears them.
      name: values.name.trim() || null,
      email: values.email.trim() || null,
      notes: values.notes.trim() || null,
      customFields: toCustomFields(rows),
    }
    const phone = values.phoneNumber.trim()
    if (phoneEditable && phone && phone !== (contact.phoneNumber ?? '')) input.phoneNumber = phone
    update.mutate(input, {
      onSuccess: () => {
        toast(t('contacts.saved'))
        onDone()
      },
      onError: (error) => setErrors(fieldErrors(error, FIELDS)),
    })
  }

  return (
    <form onSubmit={submit} noValidate className="grid gap-4" data-testid="contact-edit-form">
      <ContactExistsAlert error={update.error} />
      {banner && <Alert>{banner}</Alert>}
      <FormField label={t('contacts.field.name')} error={errors.name}>
        <Input value={values.name} onChange={set('name')} autoComplete="off" data-testid="contact-edit-name" />
      </FormField>
      {phoneEditable && (
        <FormField label={t('contacts.field.phone')} error={errors.phoneNumber}>
          <Input type="tel" value={values.phoneNumber} onChange={set('phoneNumber')} autoComplete="off" data-testid="contact-edit-phone" />
        </FormField>
      )}
      <FormField label={t('contacts.field.email')} error={errors.email}>
        <Input type="email" value={values.email} onChange={set('email')} autoComplete="off" data-testid="contact-edit-email" />
      </FormField>
      <FormField label={t('contacts.field.notes')} error={errors.notes}>
        <Textarea rows={4} value={values.notes} onChange={set('notes')} data-testid="contact-edit-notes" />
      </FormField>
      <CustomFieldsEditor rows={rows} onChange={setRows} error={errors.customFields} />
      <div className="flex justify-end gap-2">
        <Button type="button" variant="outline" onClick={onDone} data-testid="contact-edit-cancel">
          {t('common.cancel')}
        </Button>
        <Button type="submit" loading={update.isPending} data-testid="contact-save">
          {t('common.save')}
        </Button>
      </div>
    </form>
  )
}
