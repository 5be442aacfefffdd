import { Plus, X } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { useT } from '@/lib/i18n'
import type { FieldRow } from '../custom-fields'

type Props = { rows: FieldRow[]; onChange: (rows: FieldRow[]) => void; error?: string }

export function CustomFieldsEditor({ rows, onChange, error }: Props) {
  const t = useT()
  const change = (id: number, changes: Partial<FieldRow>) => onChange(rows.map((row) => (row.id === id ? { ...row, ...changes } : row)))
  const add = () => onChange([...rows, { id: Math.max(-1, ...rows.map((row) => row.id)) + 1, key: '', value: '' }])

  return (
    <fieldset className="grid gap-2" data-testid="contact-custom-fields">
      <legend className="mb-1 text-sm font-medium text-slate-800">{t('contacts.fields.title')}</legend>
      {rows.map((row) => (
        <div key={row.id} className="flex gap-2" data-testid="contact-custom-field-row">
          <Input
            aria-label={t('contacts.fields.key')}
            placeholder={t('contacts.fields.key')}
            value={row.key}
            onChange={(event) => change(row.id, { key: event.target.value })}
            className="w-2/5"
            data-testid="contact-custom-field-key"
          />
          <Input
            aria-label={t('contacts.fields.value')}
            placeholder={t('contacts.fields.value')}
            value={row.value}
            onChange={(event) => change(row.id, { value: event.target.value })}
            data-testid="contact-custom-field-value"
          />
          <Button
            type="button"
            variant="ghost"
            size="icon"
            onClick={() => onChange(rows.filter((item) => item.id !== row.id))}
            aria-label={t('contacts.fields.remove')}
            data-testid="contact-custom-field-remove"
          >
            <X aria-hidden />
          </Button>
        </div>
      ))}
      {error && (
        <p className="text-xs font-medium text-red-600" role="alert">
          {error}
        </p>
      )}
      <Button type="button" variant="ghost" size="sm" className="justify-self-start" onClick={add} data-testid="contact-custom-field-add">
        <Plus aria-hidden />
        {t('contacts.fields.add')}
      </Button>
    </fieldset>
  )
}
