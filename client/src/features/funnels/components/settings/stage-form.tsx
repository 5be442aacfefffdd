import { useState, type FormEvent } from 'react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Select } from '@/components/ui/select'
import { fieldErrors, formErrorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import type { Stage, StageInput } from '../../api/types'
import { stageInput, validateStage, type StageFormValues } from '../../settings-validation'

const FIELDS = ['name', 'color', 'probability', 'wipLimit', 'isWonStage', 'isLostStage'] as const

const stageFormValues = (stage?: Stage): StageFormValues => ({
  name: stage?.name ?? '',
  color: stage?.color ?? '#6b7280',
  probability: String(stage?.probability ?? 0),
  wipLimit: stage?.wipLimit == null ? '' : String(stage.wipLimit),
  kind: stage?.isWonStage ? 'won' : stage?.isLostStage ? 'lost' : 'open',
})

type Props = {
  stage?: Stage
  pending: boolean
  error: unknown
  onSubmit: (input: StageInput) => void
  onCancel: () => void
}

export function StageForm({ stage, pending, error, onSubmit, onCancel }: Props) {
  const t = useT()
  const [values, setValues] = useState(() => stageFormValues(stage))
  const [errors, setErrors] = useState<Record<string, string>>({})
  const set = (field: keyof StageFormValues) => (value: string) => setValues((current) => ({ ...current, [field]: value }))
  const serverErrors = fieldErrors(error, FIELDS)
  const shown = { ...serverErrors, ...errors }

  function submit(event: FormEvent) {
    event.preventDefault()
    const found = validateStage(values)
    setErrors(Object.fromEntries(Object.entries(found).map(([field, key]) => [field, t(key)])))
    if (Object.keys(found).length === 0) onSubmit(stageInput(values))
  }

  const banner = formErrorMessage(error, t, FIELDS)
  return (
    <form onSubmit={submit} noValidate className="grid gap-3 rounded-lg bg-slate-50 p-3" data-testid="stage-form">
      {banner && <Alert>{banner}</Alert>}
      <div className="grid gap-3 sm:grid-cols-[1fr_auto]">
        <FormField label={t('funnels.stageName')} error={shown.name}>
          <Input value={values.name} maxLength={100} onChange={(event) => set('name')(event.target.value)} autoFocus data-testid="stage-name-input" />
        </FormField>
        <FormField label={t('funnels.color')} error={shown.color}>
          <Input type="color" value={values.color} onChange={(event) => set('color')(event.target.value)} className="h-9 w-14 p-1" data-testid="stage-color-input" />
        </FormField>
      </div>
      <div className="grid gap-3 sm:grid-cols-3">
        <FormField label={t('funnels.probability')} error={shown.probability}>
          <Input type="number" min={0} max={100} step={1} value={values.probability} onChange={(event) => set('probability')(event.target.value)} data-testid="stage-probability-input" />
        </FormField>
        <FormField label={t('funnels.wipLimit')} error={shown.wipLimit} hint={t('funnels.wipHint')}>
          <Input type="number" min={1} step={1} value={values.wipLimit} placeholder={t('funnels.noLimit')} onChange={(event) => set('wipLimit')(event.target.value)} data-testid="stage-wip-input" />
        </FormField>
        <FormField label={t('funnels.stageKind')}>
          <Select value={values.kind} onChange={(event) => set('kind')(event.target.value)} data-testid="stage-kind-select">
            <option value="open">{t('funnels.kind.open')}</option>
            <option value="won">{t('funnels.kind.won')}</option>
            <option value="lost">{t('funnels.kind.lost')}</option>
          </Select>
        </FormField>
      </div>
      <div className="flex justify-end gap-2">
        <Button type="button" variant="outline" size="sm" onClick={onCancel}>
          {t('common.cancel')}
        </Button>
        <Button type="submit" size="sm" loading={pending} data-testid="stage-save">
          {t('common.save')}
        </Button>
      </div>
    </form>
  )
}
