import { useState, type ReactNode } from 'react'
import { Pencil } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card'
import { useFormat, useT } from '@/lib/i18n'
import type { Contact } from '../api/types'
import { displayValue } from '../custom-fields'
import { formatPhone } from '../format'
import { ContactProfileForm } from './contact-profile-form'

function Row({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="grid grid-cols-[8rem_minmax(0,1fr)] gap-2 py-1.5 text-sm" data-testid={testId}>
      <dt className="text-slate-500">{label}</dt>
      <dd className="break-words text-slate-900">{children}</dd>
    </div>
  )
}

type Props = { contact: Contact; canManage: boolean }

export function ContactProfileCard({ contact, canManage }: Props) {
  const t = useT()
  const format = useFormat()
  const [editing, setEditing] = useState(false)
  const fields = Object.entries(contact.customFields ?? {})

  return (
    <Card data-testid="contact-profile">
      <CardHeader className="flex-row items-center justify-between">
        <CardTitle>{t('contacts.profile')}</CardTitle>
        {canManage && !editing && (
          <Button variant="ghost" size="sm" onClick={() => setEditing(true)} data-testid="contact-edit">
            <Pencil aria-hidden />
            {t('contacts.edit')}
          </Button>
        )}
      </CardHeader>
      <CardContent>
        {editing ? (
          <ContactProfileForm contact={contact} onDone={() => setEditing(false)} />
        ) : (
          <dl className="divide-y divide-slate-100">
            <Row label={t('contacts.field.name')}>{contact.name ?? '—'}</Row>
            {contact.pushName && <Row label={t('contacts.field.pushName')}>{contact.pushName}</Row>}
            <Row label={t('contacts.field.phone')}>{formatPhone(contact.phoneNumber) || '—'}</Row>
            <Row label={t('contacts.field.email')} testId="contact-email">
              {contact.email ?? '—'}
            </Row>
            <Row label={t('contacts.field.source')}>{t(`contacts.source.${contact.source}`)}</Row>
            <Row label={t('contacts.col.createdAt')}>{format.dateTime(contact.createdAt)}</Row>
            <Row label={t('contacts.field.notes')} testId="contact-notes-field">
              <span className="whitespace-pre-wrap">{contact.notes || '—'}</span>
            </Row>
            {fields.map(([key, value]) => (
              <Row key={key} label={key} testId="contact-custom-field">
                {displayValue(value) || '—'}
              </Row>
            ))}
          </dl>
        )}
      </CardContent>
    </Card>
  )
}
