import { Building2, ChevronsUpDown } from 'lucide-react'
import { Button } from '@/components/ui/button'
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { hasCompany, useMe } from '../api/me'
import { useSwitchCompany } from '../api/switch-company'

export function CompanySwitcher() {
  const t = useT()
  const { data: me } = useMe()
  const switchCompany = useSwitchCompany()
  // Without a company there is nothing to show as current (the shell is not shown then anyway).
  if (!hasCompany(me)) return null

  const activeId = me.activeCompanyId
  const onlyOne = me.companies.length <= 1

  function choose(companyId: string) {
    if (companyId === activeId) return
    switchCompany.mutate(companyId, {
      onError: (error) => toast(`${t('topbar.switchFailed')} ${errorMessage(error, t)}`, 'error'),
    })
  }

  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild disabled={onlyOne}>
        <Button
          variant="outline"
          className="max-w-full min-w-0 justify-between disabled:opacity-100 sm:max-w-64"
          loading={switchCompany.isPending}
          aria-label={`${t('topbar.company')}: ${me.company.name}`}
          data-testid="company-switcher"
        >
          {!switchCompany.isPending && <Building2 aria-hidden />}
          <span className="truncate">{me.company.name}</span>
          {!onlyOne && <ChevronsUpDown className="text-slate-400" aria-hidden />}
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start">
        <DropdownMenuLabel>{t('topbar.switchCompany')}</DropdownMenuLabel>
        <DropdownMenuRadioGroup value={activeId} onValueChange={choose}>
          {me.companies.map((company) => (
            <DropdownMenuRadioItem key={company.id} value={company.id} data-testid={`company-option-${company.id}`}>
              <span className="flex-1 truncate">{company.name}</span>
              <span className="text-xs text-slate-400">{t(`role.${company.role}`)}</span>
            </DropdownMenuRadioItem>
          ))}
        </DropdownMenuRadioGroup>
      </DropdownMenuContent>
    </DropdownMenu>
  )
}
