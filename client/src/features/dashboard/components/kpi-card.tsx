import type { ReactNode } from 'react'
import { Card } from '@/components/ui/card'

type Props = { label: string; value: ReactNode; hint?: string; testId: string; tone?: 'default' | 'warning' }

export function KpiCard({ label, value, hint, testId, tone = 'default' }: Props) {
  return (
    <Card className="flex flex-col gap-1 p-4" data-testid={testId}>
      <span className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</span>
      <span className={tone === 'warning' ? 'text-2xl font-semibold text-amber-600' : 'text-2xl font-semibold text-slate-900'}>
        {value}
      </span>
      {hint ? <span className="text-xs text-slate-500" title={hint}>{hint}</span> : null}
    </Card>
  )
}
