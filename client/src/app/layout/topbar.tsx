import { Menu } from 'lucide-react'
import { LanguageSwitch } from '@/components/language-switch'
import { Button } from '@/components/ui/button'
import { CompanySwitcher } from '@/features/auth/components/company-switcher'
import { UserMenu } from '@/features/auth/components/user-menu'
import { NotificationBell } from '@/features/notifications/components/notification-bell'
import { useT } from '@/lib/i18n'

export function Topbar({ onOpenMenu }: { onOpenMenu: () => void }) {
  const t = useT()
  return (
    <header className="sticky top-0 z-30 flex h-14 items-center gap-2 border-b border-slate-200 bg-white/90 px-3 backdrop-blur md:px-6">
      <Button variant="ghost" size="icon" className="md:hidden" onClick={onOpenMenu} aria-label={t('common.openMenu')}>
        <Menu aria-hidden />
      </Button>
      <div className="min-w-0 flex-1">
        <CompanySwitcher />
      </div>
      <div className="flex shrink-0 items-center gap-1">
        <LanguageSwitch />
        <NotificationBell />
        <UserMenu />
      </div>
    </header>
  )
}
