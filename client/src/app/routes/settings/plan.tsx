import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { useUsage } from '@/features/usage/api/usage'
import { PlansTable } from '@/features/usage/components/plans-table'
import { UsageMeters } from '@/features/usage/components/usage-meters'
import { useFormat, useT } from '@/lib/i18n'

export default function PlanRoute() {
  const t = useT()
  const format = useFormat()
  const usage = useUsage()
  return (
    <div className="grid grid-cols-1 gap-6">
      <Card data-testid="plan-usage">
        <CardHeader>
          <CardTitle data-testid="current-plan">
            {usage.data ? t('usage.currentPlan', { plan: usage.data.plan.name }) : t('usage.title')}
          </CardTitle>
          {usage.data && (
            <CardDescription>
              {t('usage.period', { start: format.date(usage.data.period.start), end: format.date(usage.data.period.end) })}
            </CardDescription>
          )}
        </CardHeader>
        <CardContent>
          <UsageMeters />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>{t('usage.plansTitle')}</CardTitle>
        </CardHeader>
        <CardContent>
          <PlansTable currentPlan={usage.data?.plan.type} />
        </CardContent>
      </Card>
    </div>
  )
}
