import { useEffect, useState } from 'react'
import { ChevronLeft, ChevronRight, Search } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { Spinner } from '@/components/ui/spinner'
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { errorMessage } from '@/lib/errors'
import { useFormat, useT } from '@/lib/i18n'
import { useAdminCompanies } from '../api/companies'
import { CompanyPlanSelect, type PlanOption } from './company-plan-select'

const PAGE_SIZE = 20

function useDebounced<T>(value: T, delayMs: number): T {
  const [debounced, setDebounced] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delayMs)
    return () => clearTimeout(timer)
  }, [value, delayMs])
  return debounced
}

/** `plans` comes from the caller, which owns the plans query (features do not import each other). */
export function CompaniesTable({ plans }: { plans: PlanOption[] }) {
  const t = useT()
  const format = useFormat()
  const [searchInput, setSearchInput] = useState('')
  const search = useDebounced(searchInput.trim(), 300)
  const [pageState, setPageState] = useState({ page: 1, search })
  // A new search starts again from page 1.
  const page = pageState.search === search ? pageState.page : 1
  const companies = useAdminCompanies({ page, limit: PAGE_SIZE, search })
  const pages = companies.data?.pagination?.pages ?? 1

  return (
    <div className="grid grid-cols-1 gap-4">
      <div className="relative max-w-sm">
        <Search className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-slate-400" aria-hidden />
        <Input
          type="search"
          className="pl-9"
          aria-label={t('common.search')}
          placeholder={t('admin.searchPlaceholder')}
          value={searchInput}
          onChange={(event) => setSearchInput(event.target.value)}
          data-testid="admin-company-search"
        />
      </div>
      {companies.isPending ? (
        <Spinner label={t('common.loading')} />
      ) : companies.isError ? (
        <Alert>{errorMessage(companies.error, t)}</Alert>
      ) : companies.data.data.length === 0 ? (
        <p className="p-6 text-center text-sm text-slate-500">{t('admin.empty')}</p>
      ) : (
        <Table data-testid="admin-companies-table" aria-busy={companies.isPlaceholderData || undefined}>
          <TableHeader>
            <TableRow>
              <TableHead>{t('admin.col.company')}</TableHead>
              <TableHead className="text-right">{t('admin.col.members')}</TableHead>
              <TableHead>{t('admin.col.createdAt')}</TableHead>
              <TableHead>{t('admin.col.plan')}</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {companies.data.data.map((company) => (
              <TableRow key={company.id}>
                <TableCell>
                  <span className="font-medium text-slate-900">{company.name}</span>
                  <span className="block text-xs text-slate-400">{company.publicId}</span>
                </TableCell>
                <TableCell className="text-right tabular-nums">{format.number(company.membersCount)}</TableCell>
                <TableCell>{format.date(company.createdAt)}</TableCell>
                <TableCell>
                  <CompanyPlanSelect company={company} plans={plans} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <nav className="flex items-center justify-end gap-2 text-sm text-slate-600" aria-label={t('common.pageOf', { page, pages })}>
        <span>{t('common.pageOf', { page, pages: Math.max(pages, 1) })}</span>
        <Button variant="outline" size="sm" disabled={page <= 1} onClick={() => setPageState({ page: page - 1, search })}>
          <ChevronLeft aria-hidden />
          {t('common.previous')}
        </Button>
        <Button variant="outline" size="sm" disabled={page >= pages} onClick={() => setPageState({ page: page + 1, search })}>
          {t('common.next')}
          <ChevronRight aria-hidden />
        </Button>
      </nav>
    </div>
  )
}
