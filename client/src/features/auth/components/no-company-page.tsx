import { Building2, LogOut } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { useLogout } from '../api/session'
import { useSwitchCompany } from '../api/switch-company'
import type { MeWithoutCompany } from '../api/types'
import { AuthLayout } from './auth-layout'

/**
 * Instead of the shell, for someone signed in who belongs to no company (e.g. removed from their
 * only one): every company page would be refused. An invitation link (/invite/:token) still works.
 */
export function NoCompanyPage({ me }: { me: MeWithoutCompany }) {
  const t = useT()
  const logout = useLogout()
  const switchCompany = useSwitchCompany()

  function open(companyId: string) {
    switchCompany.mutate(companyId, {
      onError: (error) => toast(`${t('topbar.switchFailed')} ${errorMessage(error, t)}`, 'error'),
    })
  }

  return (
    <AuthLayout title={t('noCompany.title')}>
      <div className="grid gap-4" data-testid="no-company">
        <p className="text-sm text-slate-700">{t('noCompany.body')}</p>
        <p className="text-sm text-slate-500">{t('noCompany.signedInAs', { email: me.email })}</p>
        {/* The token may name a company the user has left while they still belong to others. */}
        {me.companies.length > 0 && (
          <div className="grid gap-2">
            <p className="text-sm font-medium text-slate-900">{t('noCompany.openCompany')}</p>
            {me.companies.map((company) => (
              <Button
                key={company.id}
                variant="outline"
                className="justify-start"
                disabled={switchCompany.isPending}
                onClick={() => open(company.id)}
                data-testid={`no-company-open-${company.id}`}
              >
                <Building2 aria-hidden />
                <span className="flex-1 truncate text-left">{company.name}</span>
              </Button>
            ))}
          </div>
        )}
        <Button variant="outline" loading={logout.isPending} onClick={() => logout.mutate()} data-testid="no-company-logout">
          {!logout.isPending && <LogOut aria-hidden />}
          {t('topbar.logout')}
        </Button>
      </div>
    </AuthLayout>
  )
}
