import { lazy, Suspense, useState } from 'react'
import { Link } from 'react-router'
import { PageHeader } from '@/components/page-header'
import { Alert } from '@/components/ui/alert'
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card'
import { Select } from '@/components/ui/select'
import { Spinner } from '@/components/ui/spinner'
import { hasCompany, useMe } from '@/features/auth/api/me'
import { UsageMeters } from '@/features/usage/components/usage-meters'
import { useT } from '@/lib/i18n'
import { PERIODS, useDashboardMetrics, type Period } from '../api/dashboard'
import { MetricsGrid } from './metrics-grid'
import { RecentActivities, RecentConversations } from './recent-lists'

const DashboardCharts = lazy(() => import('./charts'))

export function DashboardPage() {
  const t = useT()
  const { data: me } = useMe()
  const [period, setPeriod] = useState<Period>('7d')
  const metrics = useDashboardMetrics(period)
  const firstName = me?.fullName.split(/\s+/)[0] ?? ''
  return (
    <>
      <PageHeader
        title={t('dashboard.greeting', { name: firstName })}
        description={hasCompany(me) ? t('dashboard.subtitle', { company: me.company.name }) : undefined}
        actions={
          <label className="flex items-center gap-2 text-sm text-slate-600">
            {t('dashboard.period')}
            <Select
              className="w-40"
              value={period}
              onChange={(event) => setPeriod(event.target.value as Period)}
              data-testid="dashboard-period"
            >
              {PERIODS.map((value) => (
                <option key={value} value={value}>
                  {t(`dashboard.period.${value}`)}
                </option>
              ))}
            </Select>
          </label>
        }
      />
      <div className="flex flex-col gap-4">
        {metrics.isPending ? <Spinner label={t('common.loading')} /> : null}
        {metrics.isError ? <Alert tone="error">{t('errors.unexpected')}</Alert> : null}
        {metrics.data ? (
          <>
            <MetricsGrid metrics={metrics.data} />
            <Card>
              <CardContent className="pt-5">
                <Suspense fallback={<Spinner label={t('common.loading')} />}>
                  <DashboardCharts metrics={metrics.data} />
                </Suspense>
              </CardContent>
            </Card>
          </>
        ) : null}
        <div className="grid gap-4 lg:grid-cols-3">
          <RecentConversations />
          <RecentActivities />
          <Card>
            <CardHeader className="flex-row items-center justify-between">
              <CardTitle>{t('dashboard.usageTitle')}</CardTitle>
              <Link to="/settings/plan" className="text-sm font-medium text-emerald-700 hover:underline">
                {t('nav.plan')}
              </Link>
            </CardHeader>
            <CardContent>
              <UsageMeters />
            </CardContent>
          </Card>
        </div>
      </div>
    </>
  )
}
