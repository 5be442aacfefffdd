import { useState, type FormEvent } from 'react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Select } from '@/components/ui/select'
import { fieldErrors, formErrorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { isClosingStage } from '../api/board-cache'
import { useCreateDeal } from '../api/deals'
import type { ContactOption, Stage } from '../api/types'
import { dealFormFields, EMPTY_DEAL_FORM, validateDealForm, type DealFormValues } from '../deal-form'
import { ContactPicker } from './contact-picker'
import { PrioritySelect } from './priority-select'

type Props = {
  open: boolean
  onOpenChange: (open: boolean) => void
  stages: Stage[]
  /** The column whose "+" was used; the first open stage otherwise. */
  stageId?: string
  onCreated?: (dealId: string) => void
}

export function NewDealDialog({ open, onOpenChange, ...props }: Props) {
  const t = useT()
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent closeLabel={t('common.close')} data-testid="deal-create-dialog">
        <DialogHeader>
          <DialogTitle>{t('deals.newTitle')}</DialogTitle>
          <DialogDescription>{t('deals.newDescription')}</DialogDescription>
        </DialogHeader>
        <NewDealForm {...props} onDone={() => onOpenChange(false)} />
      </DialogContent>
    </Dialog>
  )
}

const SERVER_FIELDS = ['title', 'value', 'expectedCloseDate', 'priority', 'stageId', 'contactId'] as const

function NewDealForm({ stages, stageId, onCreated, onDone }: Omit<Props, 'open' | 'onOpenChange'> & { onDone: () => void }) {
  const t = useT()
  const create = useCreateDeal()
  const openStages = stages.filter((stage) => !isClosingStage(stage))
  const [values, setValues] = useState<DealFormValues>(EMPTY_DEAL_FORM)
  const [stage, setStage] = useState(stageId ?? openStages[0]?.id ?? '')
  const [contact, setContact] = useState<ContactOption | null>(null)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const set = (field: keyof DealFormValues) => (value: string) => setValues((current) => ({ ...current, [field]: value }))

  function submit(event: FormEvent) {
    event.preventDefault()
    const found = validateDealForm(values)
    setErrors(Object.fromEntries(Object.entries(found).map(([field, key]) => [field, t(key)])))
    if (Object.keys(found).length > 0 || !stage) return
    const fields = dealFormFields(values)
    create.mutate(
      {
        title: fields.title,
        stageId: stage,
        value: fields.value,
        contactId: contact?.id,
        expectedCloseDate: fields.expectedCloseDate ?? undefined,
        priority: fields.priority ?? undefined,
      },
      {
        onSuccess: (deal) => {
          toast(t('deals.created', { title: deal.title }))
          onDone()
          onCreated?.(deal.id)
        },
        onError: (error) => setErrors(fieldErrors(error, SERVER_FIELDS)),
      },
    )
  }

  const banner = formErrorMessage(create.error, t, SERVER_FIELDS)
  return (
    <form onSubmit={submit} noValidate className="grid gap-4" data-testid="deal-create-form">
      {banner && <Alert>{banner}</Alert>}
      <FormField label={t('deals.title')} error={errors.title}>
        <Input value={values.title} maxLength={255} onChange={(event) => set('title')(event.target.value)} data-testid="deal-title-input" />
      </FormField>
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField label={t('deals.value')} error={errors.value} hint={t('deals.valueHint')}>
          <Input value={values.value} inputMode="decimal" onChange={(event) => set('value')(event.target.value)} data-testid="deal-value-input" />
        </FormField>
        <FormField label={t('deals.stage')} error={errors.stageId}>
          <Select value={stage} onChange={(event) => setStage(event.target.value)} data-testid="deal-stage-select">
            {openStages.map((item) => (
              <option key={item.id} value={item.id}>
                {item.name}
              </option>
            ))}
          </Select>
        </FormField>
      </div>
      <FormField label={t('deals.contact')} error={errors.contactId}>
        <ContactPicker value={contact} onChange={setContact} />
      </FormField>
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField label={t('deals.expectedCloseDate')} error={errors.expectedCloseDate}>
          <Input type="date" value={values.expectedCloseDate} onChange={(event) => set('expectedCloseDate')(event.target.value)} data-testid="deal-close-date-input" />
        </FormField>
        <FormField label={t('deals.priorityLabel')} error={errors.priority}>
          <PrioritySelect value={values.priority} onChange={set('priority')} />
        </FormField>
      </div>
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onDone}>
          {t('common.cancel')}
        </Button>
        <Button type="submit" loading={create.isPending} data-testid="deal-create-submit">
          {t('deals.create')}
        </Button>
      </DialogFooter>
    </form>
  )
}
