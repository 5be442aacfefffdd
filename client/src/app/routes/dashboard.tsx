import { Link } from 'react-router'
import { PageHeader } from '@/components/page-header'
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card'
import { hasCompany, useMe } from '@/features/auth/api/me'
import { UsageMeters } from '@/features/usage/components/usage-meters'
import { useT } from '@/lib/i18n'

export default function DashboardRoute() {
  const t = useT()
  const { data: me } = useMe()
  const firstName = me?.fullName.split(/\s+/)[0] ?? ''
  return (
    <>
      <PageHeader
        title={t('dashboard.greeting', { name: firstName })}
        description={hasCompany(me) ? t('dashboard.subtitle', { company: me.company.name }) : undefined}
      />
      <Card className="max-w-2xl">
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
    </>
  )
}
