import type { ReactNode } from 'react'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { Select } from '@/components/ui/select'
import { useT } from '@/lib/i18n'
import { useFunnelOptions } from '../api/funnels'
import type { ContactListParams } from '../api/types'
import { TagFilter } from './tag-filter'

type Props = { params: ContactListParams; onChange: (changes: Partial<ContactListParams>) => void }

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-1">
      <Label className="text-xs text-slate-500">{label}</Label>
      {children}
    </div>
  )
}

export function ContactFilters({ params, onChange }: Props) {
  const t = useT()
  const funnels = useFunnelOptions()
  const selectedFunnel = funnels.data?.find((funnel) => funnel.id === params.funnelId)
  // Without a funnel every stage is offered, grouped under its funnel.
  const stageGroups = selectedFunnel ? [selectedFunnel] : (funnels.data ?? [])

  function changeFunnel(funnelId: string) {
    const funnel = funnels.data?.find((item) => item.id === funnelId)
    const keepStage = !funnel || funnel.stages.some((stage) => stage.id === params.stageId)
    onChange({ funnelId: funnelId || undefined, stageId: keepStage ? params.stageId : undefined })
  }

  return (
    <div className="grid gap-3 rounded-lg border border-slate-200 bg-slate-50/60 p-3 sm:grid-cols-2 lg:grid-cols-4" data-testid="contacts-filters">
      <Field label={t('contacts.filter.tags')}>
        <TagFilter tagIds={params.tagIds ?? []} match={params.tagMatch ?? 'any'} onChange={onChange} />
      </Field>
      <Field label={t('contacts.filter.funnel')}>
        <Select
          aria-label={t('contacts.filter.funnel')}
          value={params.funnelId ?? ''}
          onChange={(event) => changeFunnel(event.target.value)}
          disabled={funnels.isPending}
          data-testid="contacts-filter-funnel"
        >
          <option value="">{t('contacts.filter.anyFunnel')}</option>
          {funnels.data?.map((funnel) => (
            <option key={funnel.id} value={funnel.id}>
              {funnel.name}
            </option>
          ))}
        </Select>
      </Field>
      <Field label={t('contacts.filter.stage')}>
        <Select
          aria-label={t('contacts.filter.stage')}
          value={params.stageId ?? ''}
          onChange={(event) => onChange({ stageId: event.target.value || undefined })}
          disabled={funnels.isPending}
          data-testid="contacts-filter-stage"
        >
          <option value="">{t('contacts.filter.anyStage')}</option>
          {stageGroups.map((funnel) => (
            <optgroup key={funnel.id} label={funnel.name}>
              {funnel.stages.map((stage) => (
                <option key={stage.id} value={stage.id}>
                  {stage.name}
                </option>
              ))}
            </optgroup>
          ))}
        </Select>
      </Field>
      <Field label={t('contacts.filter.blocked')}>
        <Select
          aria-label={t('contacts.filter.blocked')}
          value={params.isBlocked === undefined ? '' : String(params.isBlocked)}
          onChange={(event) => onChange({ isBlocked: event.target.value === '' ? undefined : event.target.value === 'true' })}
          data-testid="contacts-filter-blocked"
        >
          <option value="">{t('contacts.filter.blockedAny')}</option>
          <option value="true">{t('contacts.filter.blockedYes')}</option>
          <option value="false">{t('contacts.filter.blockedNo')}</option>
        </Select>
      </Field>
      <DateRange
        label={t('contacts.filter.created')}
        from={params.createdFrom}
        to={params.createdTo}
        testId="contacts-filter-created"
        onChange={(from, to) => onChange({ createdFrom: from, createdTo: to })}
      />
      <DateRange
        label={t('contacts.filter.activity')}
        from={params.activityFrom}
        to={params.activityTo}
        testId="contacts-filter-activity"
        onChange={(from, to) => onChange({ activityFrom: from, activityTo: to })}
      />
    </div>
  )
}

type DateRangeProps = {
  label: string
  from?: string
  to?: string
  testId: string
  onChange: (from: string | undefined, to: string | undefined) => void
}

function DateRange({ label, from, to, testId, onChange }: DateRangeProps) {
  const t = useT()
  return (
    <fieldset className="grid gap-1 sm:col-span-2 lg:col-span-2">
      <legend className="mb-1 text-xs font-medium text-slate-500">{label}</legend>
      <div className="flex items-center gap-2">
        <Input
          type="date"
          aria-label={t('contacts.filter.rangeFrom', { label })}
          value={from ?? ''}
          max={to}
          onChange={(event) => onChange(event.target.value || undefined, to)}
          data-testid={`${testId}-from`}
        />
        <span className="text-sm text-slate-400">–</span>
        <Input
          type="date"
          aria-label={t('contacts.filter.rangeTo', { label })}
          value={to ?? ''}
          min={from}
          onChange={(event) => onChange(from, event.target.value || undefined)}
          data-testid={`${testId}-to`}
        />
      </div>
    </fieldset>
  )
}
