import { NavLink } from 'react-router'
import { useT } from '@/lib/i18n'
import { cn } from '@/lib/utils'
import { NAV_GROUPS } from '../nav-items'

type SidebarNavProps = { superAdmin: boolean; companyAdmin: boolean; onNavigate?: () => void }

export function SidebarNav({ superAdmin, companyAdmin, onNavigate }: SidebarNavProps) {
  const t = useT()
  return (
    <nav aria-label={t('nav.main')} className="flex flex-col gap-6 px-3 py-4">
      {NAV_GROUPS.filter((group) => !group.superAdminOnly || superAdmin).map((group, index) => (
        <div key={group.labelKey ?? index} className="flex flex-col gap-1">
          {group.labelKey && (
            <p className="px-3 pb-1 text-xs font-semibold tracking-wide text-emerald-200/70 uppercase">{t(group.labelKey)}</p>
          )}
          {group.items
            .filter((item) => !item.companyAdminOnly || companyAdmin)
            .map(({ to, labelKey, icon: Icon, testId }) => (
              <NavLink
                key={to}
                to={to}
                end={to === '/'}
                onClick={onNavigate}
                data-testid={testId}
                className={({ isActive }) =>
                  cn(
                    'flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium transition-colors',
                    isActive ? 'bg-emerald-800 text-white' : 'text-emerald-50/80 hover:bg-emerald-800/60 hover:text-white',
                  )
                }
              >
                <Icon className="size-4 shrink-0" aria-hidden />
                {t(labelKey)}
              </NavLink>
            ))}
        </div>
      ))}
    </nav>
  )
}
