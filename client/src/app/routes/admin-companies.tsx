import { PageHeader } from '@/components/page-header'
import { Alert } from '@/components/ui/alert'
import { Card, CardContent } from '@/components/ui/card'
import { Spinner } from '@/components/ui/spinner'
import { CompaniesTable } from '@/features/admin/components/companies-table'
import { isSuperAdmin, useMe } from '@/features/auth/api/me'
import { usePlans } from '@/features/usage/api/usage'
import type { PlanType } from '@/types/api'
import { useT } from '@/lib/i18n'

const FALLBACK_PLANS: { type: PlanType; name: string }[] = [
  { type: 'free', name: 'Free' },
  { type: 'pro', name: 'Pro' },
  { type: 'business', name: 'Business' },
  { type: 'enterprise', name: 'Enterprise' },
]

export default function AdminCompaniesRoute() {
  const t = useT()
  const me = useMe()
  const plans = usePlans()
  if (me.isPending) return <Spinner label={t('common.loading')} />
  // The API refuses anyway (403); this only avoids showing an empty, broken page.
  if (!isSuperAdmin(me.data)) return <Alert>{t('errors.forbidden')}</Alert>
  return (
    <>
      <PageHeader title={t('admin.title')} description={t('admin.subtitle')} />
      <Card>
        <CardContent className="pt-5">
          <CompaniesTable plans={plans.data ?? FALLBACK_PLANS} />
        </CardContent>
      </Card>
    </>
  )
}
