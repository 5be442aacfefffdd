import { LogOut } from 'lucide-react'
import { Button } from '@/components/ui/button'
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu'
import { useT } from '@/lib/i18n'
import { useMe } from '../api/me'
import { useLogout } from '../api/session'

const initials = (fullName: string) =>
  fullName
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase())
    .join('')

export function UserMenu() {
  const t = useT()
  const { data: me } = useMe()
  const logout = useLogout()
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" className="rounded-full" aria-label={t('topbar.userMenu')} data-testid="user-menu">
          <span className="flex size-8 items-center justify-center rounded-full bg-emerald-700 text-xs font-semibold text-white">
            {me ? initials(me.fullName) || '?' : '…'}
          </span>
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        {me && (
          <DropdownMenuLabel className="font-normal">
            <span className="block truncate font-medium text-slate-900">{me.fullName}</span>
            <span className="block truncate text-slate-500">{me.email}</span>
          </DropdownMenuLabel>
        )}
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => logout.mutate()} data-testid="logout">
          <LogOut aria-hidden />
          {t('topbar.logout')}
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  )
}
