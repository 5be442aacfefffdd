import { useState } from 'react'
import { Alert } from '@/components/ui/alert'
import { Card } from '@/components/ui/card'
import { Label } from '@/components/ui/label'
import { Select } from '@/components/ui/select'
import { Spinner } from '@/components/ui/spinner'
import { errorMessage } from '@/lib/errors'
import { useFormat, useT, type MessageKey } from '@/lib/i18n'
import { useDashboardMetrics } from '../api/followups'
import type { DashboardMetrics } from '../api/types'

const PERIODS = [7, 30, 90] as const
const SERIES: { key: 'sent' | 'responded' | 'cancelled'; labelKey: MessageKey; color: string }[] = [
  { key: 'sent', labelKey: 'followups.metrics.sent', color: '#047857' },
  { key: 'responded', labelKey: 'followups.metrics.skippedByReply', color: '#f59e0b' },
  { key: 'cancelled', labelKey: 'followups.metrics.cancelled', color: '#94a3b8' },
]

function Stat({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Card className="p-4">
      <p className="text-xs font-medium tracking-wide text-slate-500 uppercase">{label}</p>
      <p className="mt-1 text-2xl font-semibold text-slate-900 tabular-nums" data-testid={testId}>
        {value}
      </p>
    </Card>
  )
}

/** Stacked bars per local day, in plain SVG (no chart library for one small chart). */
function DailyChart({ daily }: { daily: DashboardMetrics['daily'] }) {
  const t = useT()
  const format = useFormat()
  const height = 160
  const barWidth = 14
  const gap = 6
  const max = Math.max(1, ...daily.map((day) => day.sent + day.responded + day.cancelled))
  const width = daily.length * (barWidth + gap)
  return (
    <figure className="grid gap-2">
      <div className="overflow-x-auto">
        <svg width={width} height={height + 20} role="img" aria-label={t('followups.metrics.chart')} data-testid="followup-daily-chart">
          {daily.map((day, index) => {
            let y = height
            const x = index * (barWidth + gap)
            return (
              <g key={day.date} data-testid="followup-daily-bar" data-date={day.date}>
                <title>
                  {`${format.date(`${day.date}T12:00:00`)}: ${SERIES.map((serie) => `${t(serie.labelKey)} ${day[serie.key]}`).join(', ')}`}
                </title>
                {SERIES.map((serie) => {
                  const size = (day[serie.key] / max) * (height - 4)
                  y -= size
                  return size > 0 ? <rect key={serie.key} x={x} y={y} width={barWidth} height={size} fill={serie.color} rx={2} /> : null
                })}
                <rect x={x} y={height} width={barWidth} height={1} fill="#cbd5e1" />
                {(index % 7 === 0 || index === daily.length - 1) && (
                  <text x={x + barWidth / 2} y={height + 14} textAnchor="middle" className="fill-slate-500 text-[10px]">
                    {day.date.slice(8, 10)}/{day.date.slice(5, 7)}
                  </text>
                )}
              </g>
            )
          })}
        </svg>
      </div>
      <figcaption className="flex flex-wrap gap-4 text-xs text-slate-600">
        {SERIES.map((serie) => (
          <span key={serie.key} className="flex items-center gap-1.5">
            <span className="size-2.5 rounded-sm" style={{ backgroundColor: serie.color }} aria-hidden />
            {t(serie.labelKey)}
          </span>
        ))}
      </figcaption>
    </figure>
  )
}

export function MetricsTab() {
  const t = useT()
  const format = useFormat()
  const [days, setDays] = useState<number>(30)
  const metrics = useDashboardMetrics(days)
  const percent = (value: number) => `${format.number(value)}%`
  return (
    <div className="grid gap-4" data-testid="followup-metrics">
      <div className="grid w-48 gap-1.5">
        <Label htmlFor="followup-metrics-days">{t('followups.metrics.period')}</Label>
        <Select id="followup-metrics-days" value={days} onChange={(event) => setDays(Number(event.target.value))} data-testid="followup-metrics-days">
          {PERIODS.map((period) => (
            <option key={period} value={period}>
              {t('followups.metrics.lastDays', { days: period })}
            </option>
          ))}
        </Select>
      </div>
      {metrics.isPending ? (
        <Spinner label={t('common.loading')} />
      ) : metrics.isError ? (
        <Alert>{errorMessage(metrics.error, t)}</Alert>
      ) : (
        <>
          <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
            <Stat label={t('followups.metrics.sent')} value={format.number(metrics.data.summary.totalSent)} testId="metric-sent" />
            <Stat label={t('followups.metrics.responded')} value={format.number(metrics.data.summary.totalResponded)} testId="metric-responded" />
            <Stat label={t('followups.metrics.responseRate')} value={percent(metrics.data.summary.responseRate)} testId="metric-response-rate" />
            <Stat label={t('followups.metrics.skippedByReply')} value={format.number(metrics.data.summary.totalSkippedByReply)} testId="metric-skipped" />
            <Stat label={t('followups.metrics.cancelled')} value={format.number(metrics.data.summary.totalCancelled)} testId="metric-cancelled" />
            <Stat label={t('followups.metrics.cancelRate')} value={percent(metrics.data.summary.cancelRate)} testId="metric-cancel-rate" />
          </div>
          <Card className="p-4">
            <DailyChart daily={metrics.data.daily} />
          </Card>
          {metrics.data.topPerformingRules.length > 0 && (
            <Card className="p-4">
              <h3 className="mb-2 text-sm font-semibold text-slate-900">{t('followups.metrics.topRules')}</h3>
              <ol className="grid gap-1 text-sm">
                {metrics.data.topPerformingRules.map((rule) => (
                  <li key={rule.ruleId} className="flex justify-between gap-4">
                    <span>{rule.ruleName}</span>
                    <span className="tabular-nums text-slate-600">{percent(rule.responseRate)}</span>
                  </li>
                ))}
              </ol>
            </Card>
          )}
        </>
      )}
    </div>
  )
}
