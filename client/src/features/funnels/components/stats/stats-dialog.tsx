import { useState } from 'react'
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { Alert } from '@/components/ui/alert'
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { Select } from '@/components/ui/select'
import { Spinner } from '@/components/ui/spinner'
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { errorMessage } from '@/lib/errors'
import { useLocale, useT } from '@/lib/i18n'
import { useFunnelStats } from '../../api/funnels'
import type { Funnel, FunnelStats } from '../../api/types'
import { useMoney } from '../../format'

const PERIODS = [30, 90, 180, 365] as const

/** Conversion and time-in-stage numbers of a funnel; recharts lives only in this lazy chunk. */
export function StatsDialog({ funnel, onClose }: { funnel: Funnel; onClose: () => void }) {
  const t = useT()
  const [days, setDays] = useState<number>(90)
  const stats = useFunnelStats(funnel.id, days)
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent closeLabel={t('common.close')} className="max-w-4xl" data-testid="funnel-stats-dialog">
        <DialogHeader>
          <DialogTitle>{t('funnels.statsTitle', { name: funnel.name })}</DialogTitle>
          <DialogDescription>{t('funnels.statsDescription')}</DialogDescription>
        </DialogHeader>
        <Select value={days} onChange={(event) => setDays(Number(event.target.value))} className="w-fit" aria-label={t('funnels.period')}>
          {PERIODS.map((period) => (
            <option key={period} value={period}>
              {t('funnels.lastDays', { days: period })}
            </option>
          ))}
        </Select>
        {stats.isPending ? (
          <Spinner label={t('common.loading')} />
        ) : stats.isError ? (
          <Alert>{errorMessage(stats.error, t)}</Alert>
        ) : (
          <StatsContent stats={stats.data} funnel={funnel} />
        )}
      </DialogContent>
    </Dialog>
  )
}

function StatsContent({ stats, funnel }: { stats: FunnelStats; funnel: Funnel }) {
  const t = useT()
  const locale = useLocale()
  const money = useMoney()
  const number = (value: number, digits = 1) => new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value)
  const { won, created } = stats.conversionBase
  const rate = created > 0 ? (won / created) * 100 : 0
  const colorOf = (stageId: string) => funnel.stages.find((stage) => stage.id === stageId)?.color ?? '#047857'
  return (
    <div className="grid gap-4">
      <div className="rounded-lg border border-emerald-200 bg-emerald-50 p-4" data-testid="stats-conversion">
        <p className="text-sm text-emerald-900">{t('funnels.conversionBase')}</p>
        <p className="text-2xl font-bold text-emerald-900">{number(rate)}%</p>
        <p className="text-xs text-emerald-800">{t('funnels.conversionDetail', { won, created })}</p>
      </div>
      <div className="h-56" aria-hidden>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={stats.stageStats} margin={{ left: 0, right: 8, top: 8, bottom: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="stageName" tick={{ fontSize: 12 }} interval={0} />
            <YAxis allowDecimals={false} tick={{ fontSize: 12 }} width={32} />
            <Tooltip formatter={(value) => [String(value), t('funnels.deals')]} />
            <Bar dataKey="dealCount" radius={[4, 4, 0, 0]}>
              {stats.stageStats.map((stage) => (
                <Cell key={stage.stageId} fill={colorOf(stage.stageId)} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <Table data-testid="stats-table">
        <TableHeader>
          <TableRow>
            <TableHead>{t('funnels.stage')}</TableHead>
            <TableHead className="text-right">{t('funnels.deals')}</TableHead>
            <TableHead className="text-right">{t('funnels.value')}</TableHead>
            <TableHead className="text-right">{t('funnels.conversionToNext')}</TableHead>
            <TableHead className="text-right">{t('funnels.averageDays')}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {stats.stageStats.map((stage) => (
            <TableRow key={stage.stageId} data-testid="stats-row" data-stage-id={stage.stageId}>
              <TableCell className="font-medium">{stage.stageName}</TableCell>
              <TableCell className="text-right">{stage.dealCount}</TableCell>
              <TableCell className="text-right">{money(stage.dealValue)}</TableCell>
              <TableCell className="text-right">{stage.conversionToNext == null ? '—' : `${number(stage.conversionToNext)}%`}</TableCell>
              <TableCell className="text-right">{stage.averageDaysInStage == null ? '—' : number(stage.averageDaysInStage)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  )
}
