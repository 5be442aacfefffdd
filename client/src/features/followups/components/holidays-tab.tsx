import { useState, type FormEvent } from 'react'
import { Plus, Trash2 } from 'lucide-react'
import { ConfirmDestructiveDialog } from '@/components/confirm-destructive-dialog'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Spinner } from '@/components/ui/spinner'
import { errorMessage, fieldErrors } from '@/lib/errors'
import { useFormat, useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { useAddHoliday, useHolidays, useRemoveHoliday } from '../api/followups'

/** Days without follow-ups (rules that respect business hours skip them). */
export function HolidaysTab({ canManage }: { canManage: boolean }) {
  const t = useT()
  const format = useFormat()
  const holidays = useHolidays()
  const add = useAddHoliday()
  const remove = useRemoveHoliday()
  const [values, setValues] = useState({ date: '', name: '' })
  const [errors, setErrors] = useState<Record<string, string>>({})

  function submit(event: FormEvent) {
    event.preventDefault()
    const found: Record<string, string> = {}
    if (!values.date) found.date = t('validation.required')
    if (!values.name.trim()) found.name = t('validation.required')
    setErrors(found)
    if (Object.keys(found).length > 0) return
    add.mutate(
      { date: values.date, name: values.name.trim() },
      {
        onSuccess: () => {
          toast(t('followups.holidayAdded'))
          setValues({ date: '', name: '' })
        },
        onError: (error) => setErrors(fieldErrors(error, ['date', 'name'])),
      },
    )
  }

  return (
    <div className="grid gap-4" data-testid="followup-holidays">
      <p className="text-sm text-slate-500">{t('followups.holidaysHint')}</p>
      {canManage && (
        <form onSubmit={submit} noValidate className="flex flex-wrap items-start gap-3" data-testid="holiday-form">
          <FormField label={t('followups.field.date')} error={errors.date}>
            <Input type="date" value={values.date} onChange={(event) => setValues({ ...values, date: event.target.value })} data-testid="holiday-date" />
          </FormField>
          <FormField label={t('followups.field.holidayName')} error={errors.name}>
            <Input value={values.name} maxLength={120} onChange={(event) => setValues({ ...values, name: event.target.value })} data-testid="holiday-name" />
          </FormField>
          <Button type="submit" className="mt-6" loading={add.isPending} data-testid="holiday-add">
            <Plus aria-hidden />
            {t('followups.addHoliday')}
          </Button>
        </form>
      )}
      {add.error && Object.keys(errors).length === 0 ? <Alert>{errorMessage(add.error, t)}</Alert> : null}
      {holidays.isPending ? (
        <Spinner label={t('common.loading')} />
      ) : holidays.isError ? (
        <Alert>{errorMessage(holidays.error, t)}</Alert>
      ) : holidays.data.length === 0 ? (
        <p className="p-6 text-center text-sm text-slate-500" data-testid="holidays-empty">
          {t('followups.noHolidays')}
        </p>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
          {holidays.data.map((holiday) => (
            <li key={holiday.id} className="flex items-center justify-between gap-3 px-3 py-2 text-sm" data-testid="holiday-row">
              <span>
                <span className="font-medium text-slate-900 tabular-nums">{format.date(`${holiday.date}T12:00:00`)}</span>
                <span className="ml-2 text-slate-700">{holiday.name}</span>
              </span>
              {canManage && (
                <ConfirmDestructiveDialog
                  icon={<Trash2 aria-hidden />}
                  title={t('followups.removeHoliday', { name: holiday.name })}
                  description={t('followups.removeHolidayBody')}
                  confirmLabel={t('common.remove')}
                  testId="holiday-remove"
                  pending={remove.isPending}
                  error={remove.error}
                  onReset={() => remove.reset()}
                  onConfirm={(close) => remove.mutate(holiday.id, { onSuccess: close })}
                />
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
