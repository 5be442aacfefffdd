import { useState, type FormEvent } from 'react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Textarea } from '@/components/ui/textarea'
import { fieldErrors, formErrorMessage } from '@/lib/errors'
import { useLocale, useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { useUpdateDeal } from '../../api/deals'
import type { Deal, DealPatch } from '../../api/types'
import { dealFormFields, validateDealForm, type DealFormValues } from '../../deal-form'
import { amountText } from '../../format'
import { PrioritySelect } from '../priority-select'

const FIELDS = ['title', 'value', 'expectedCloseDate', 'priority', 'description'] as const

function initialValues(deal: Deal, locale: string): DealFormValues {
  return {
    title: deal.title,
    value: amountText(deal.value, locale),
    expectedCloseDate: deal.expectedCloseDate ?? '',
    priority: deal.priority ?? '',
    description: deal.description ?? '',
  }
}

/** Only what changed is sent, so a concurrent edit of another field is not overwritten. */
function changes(deal: Deal, values: DealFormValues): DealPatch {
  const fields = dealFormFields(values)
  const patch: DealPatch = {}
  if (fields.title !== deal.title) patch.title = fields.title
  if (fields.value !== deal.value) patch.value = fields.value
  if (fields.expectedCloseDate !== (deal.expectedCloseDate ?? null)) patch.expectedCloseDate = fields.expectedCloseDate
  if (fields.priority !== (deal.priority ?? null)) patch.priority = fields.priority
  if (fields.description !== (deal.description ?? null)) patch.description = fields.description
  return patch
}

export function DealFieldsForm({ deal, readOnly }: { deal: Deal; readOnly: boolean }) {
  const t = useT()
  const locale = useLocale()
  const update = useUpdateDeal(deal.id)
  const [values, setValues] = useState(() => initialValues(deal, locale))
  const [errors, setErrors] = useState<Record<string, string>>({})
  const set = (field: keyof DealFormValues) => (value: string) => setValues((current) => ({ ...current, [field]: value }))
  const patch = changes(deal, values)
  const dirty = Object.keys(patch).length > 0

  function submit(event: FormEvent) {
    event.preventDefault()
    const found = validateDealForm(values)
    setErrors(Object.fromEntries(Object.entries(found).map(([field, key]) => [field, t(key)])))
    if (Object.keys(found).length > 0 || !dirty) return
    update.mutate(patch, {
      onSuccess: (saved) => {
        setValues(initialValues(saved, locale))
        toast(t('deals.saved'))
      },
      onError: (error) => setErrors(fieldErrors(error, FIELDS)),
    })
  }

  const banner = formErrorMessage(update.error, t, FIELDS)
  return (
    <form onSubmit={submit} noValidate className="grid gap-3" data-testid="deal-fields-form">
      {banner && <Alert>{banner}</Alert>}
      <fieldset disabled={readOnly} className="grid gap-3">
        <FormField label={t('deals.title')} error={errors.title}>
          <Input value={values.title} maxLength={255} onChange={(event) => set('title')(event.target.value)} data-testid="deal-title-input" />
        </FormField>
        <div className="grid gap-3 sm:grid-cols-3">
          <FormField label={t('deals.value')} error={errors.value}>
            <Input value={values.value} inputMode="decimal" onChange={(event) => set('value')(event.target.value)} data-testid="deal-value-input" />
          </FormField>
          <FormField label={t('deals.expectedCloseDate')} error={errors.expectedCloseDate}>
            <Input type="date" value={values.expectedCloseDate} onChange={(event) => set('expectedCloseDate')(event.target.value)} data-testid="deal-close-date-input" />
          </FormField>
          <FormField label={t('deals.priorityLabel')} error={errors.priority}>
            <PrioritySelect value={values.priority} onChange={set('priority')} />
          </FormField>
        </div>
        <FormField label={t('deals.description')} error={errors.description}>
          <Textarea value={values.description} onChange={(event) => set('description')(event.target.value)} data-testid="deal-description-input" />
        </FormField>
      </fieldset>
      {!readOnly && (
        <Button type="submit" size="sm" className="w-fit justify-self-end" disabled={!dirty} loading={update.isPending} data-testid="deal-save">
          {t('common.save')}
        </Button>
      )}
    </form>
  )
}
