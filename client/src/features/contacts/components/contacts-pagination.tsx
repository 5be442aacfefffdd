import { ChevronLeft, ChevronRight } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { Select } from '@/components/ui/select'
import { useFormat, useT } from '@/lib/i18n'
import { PAGE_SIZES } from '../api/query'
import type { Pagination } from '../api/types'

type Props = { pagination: Pagination; onPage: (page: number) => void; onLimit: (limit: number) => void }

export function ContactsPagination({ pagination, onPage, onLimit }: Props) {
  const t = useT()
  const format = useFormat()
  const { page, limit, total } = pagination
  const pages = Math.max(pagination.totalPages, 1)
  const first = total === 0 ? 0 : (page - 1) * limit + 1
  const last = Math.min(page * limit, total)

  return (
    <nav className="flex flex-wrap items-center justify-between gap-3 text-sm text-slate-600" aria-label={t('contacts.pagination')}>
      <span data-testid="contacts-page-info">
        {t('contacts.showing', { first: format.number(first), last: format.number(last), total: `${format.number(total)}${pagination.totalIsCapped ? '+' : ''}` })}
      </span>
      <div className="flex items-center gap-2">
        <Select
          aria-label={t('contacts.pageSize')}
          className="h-8 w-auto"
          value={String(limit)}
          onChange={(event) => onLimit(Number(event.target.value))}
          data-testid="contacts-page-size"
        >
          {PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {t('contacts.perPage', { count: size })}
            </option>
          ))}
        </Select>
        <span className="whitespace-nowrap">{t('common.pageOf', { page, pages: pagination.totalIsCapped ? `${pages}+` : pages })}</span>
        <Button variant="outline" size="sm" disabled={page <= 1} onClick={() => onPage(page - 1)} data-testid="contacts-page-prev">
          <ChevronLeft aria-hidden />
          {t('common.previous')}
        </Button>
        <Button variant="outline" size="sm" disabled={page >= pages} onClick={() => onPage(page + 1)} data-testid="contacts-page-next">
          {t('common.next')}
          <ChevronRight aria-hidden />
        </Button>
      </div>
    </nav>
  )
}
