import { NavLink, Outlet } from 'react-router'
import { PageHeader } from '@/components/page-header'
import { isCompanyAdmin, useMe } from '@/features/auth/api/me'
import { useT } from '@/lib/i18n'
import { cn } from '@/lib/utils'

const TABS = [
  { to: 'team', labelKey: 'nav.team', adminOnly: false },
  { to: 'quick-replies', labelKey: 'nav.quickReplies', adminOnly: false },
  { to: 'plan', labelKey: 'nav.plan', adminOnly: false },
  { to: 'ai', labelKey: 'ai.title', adminOnly: false },
  { to: 'whatsapp', labelKey: 'nav.whatsappProviders', adminOnly: true },
  { to: 'dead-letters', labelKey: 'nav.deadLetters', adminOnly: true },
] as const

export default function SettingsLayout() {
  const t = useT()
  const { data: me } = useMe()
  const isAdmin = isCompanyAdmin(me)
  return (
    <>
      <PageHeader title={t('settings.title')} />
      <nav aria-label={t('settings.title')} className="mb-6 flex gap-1 overflow-x-auto border-b border-slate-200">
        {TABS.filter((tab) => !tab.adminOnly || isAdmin).map((tab) => (
          <NavLink
            key={tab.to}
            to={tab.to}
            data-testid={`settings-tab-${tab.to}`}
            className={({ isActive }) =>
              cn(
                '-mb-px border-b-2 px-4 py-2 text-sm font-medium whitespace-nowrap',
                isActive ? 'border-emerald-700 text-emerald-800' : 'border-transparent text-slate-500 hover:text-slate-800',
              )
            }
          >
            {t(tab.labelKey)}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </>
  )
}
