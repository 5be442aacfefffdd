import { Badge } from '@/components/ui/badge'
import { Progress } from '@/components/ui/progress'
import { useFormat, useT } from '@/lib/i18n'
import { meterLevel, meterPercent, type MeterLevel } from '../meter'

const BAR: Record<MeterLevel, string> = {
  ok: 'bg-emerald-600',
  warning: 'bg-amber-500',
  full: 'bg-red-600',
  unlimited: 'bg-emerald-600',
}

type UsageMeterProps = { label: string; used: number; limit: number | null; testId?: string }

export function UsageMeter({ label, used, limit, testId }: UsageMeterProps) {
  const t = useT()
  const format = useFormat()
  const level = meterLevel(used, limit)
  const limitText = limit === null ? t('common.unlimited') : format.number(limit)
  const valueText = t('usage.ofLimit', { used: format.number(used), limit: limitText })
  return (
    <div className="grid gap-2" data-testid={testId} data-level={level}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <span className="text-sm font-medium text-slate-800">{label}</span>
        <span className="text-sm text-slate-600 tabular-nums">{valueText}</span>
      </div>
      <Progress value={meterPercent(used, limit)} label={label} valueText={valueText} indicatorClassName={BAR[level]} />
      {level === 'warning' && <Badge tone="warning" className="w-fit">{t('usage.warning')}</Badge>}
      {level === 'full' && <Badge tone="danger" className="w-fit">{t('usage.full')}</Badge>}
    </div>
  )
}
