import { Alert } from '@/components/ui/alert'
import { Badge } from '@/components/ui/badge'
import { Spinner } from '@/components/ui/spinner'
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { errorMessage } from '@/lib/errors'
import { useFormat, useT } from '@/lib/i18n'
import type { PlanType } from '@/types/api'
import { usePlans } from '../api/usage'

export function PlansTable({ currentPlan }: { currentPlan?: PlanType }) {
  const t = useT()
  const format = useFormat()
  const plans = usePlans()
  if (plans.isPending) return <Spinner label={t('common.loading')} />
  if (plans.isError) return <Alert>{errorMessage(plans.error, t)}</Alert>
  const limit = (value: number | null) => (value === null ? t('common.unlimited') : format.number(value))
  return (
    <Table data-testid="plans-table">
      <TableHeader>
        <TableRow>
          <TableHead>{t('usage.col.plan')}</TableHead>
          <TableHead className="text-right">{t('usage.instances')}</TableHead>
          <TableHead className="text-right">{t('usage.contacts')}</TableHead>
          <TableHead className="text-right">{t('usage.messages')}</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {plans.data.map((plan) => (
          <TableRow key={plan.type} aria-current={plan.type === currentPlan || undefined}>
            <TableCell className="font-medium text-slate-900">
              {plan.name}
              {plan.type === currentPlan && <Badge tone="success" className="ml-2">{t('usage.current')}</Badge>}
            </TableCell>
            <TableCell className="text-right tabular-nums">{limit(plan.limits.instances)}</TableCell>
            <TableCell className="text-right tabular-nums">{limit(plan.limits.contacts)}</TableCell>
            <TableCell className="text-right tabular-nums">{limit(plan.limits.messagesPerMonth)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  )
}
