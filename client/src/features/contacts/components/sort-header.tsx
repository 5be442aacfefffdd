import { ArrowDown, ArrowUp, ArrowUpDown } from 'lucide-react'
import { TableHead } from '@/components/ui/table'
import { nextSort } from '../api/query'
import type { ContactSort, SortField } from '../api/types'

type Props = { field: SortField; label: string; sort: ContactSort; onSort: (sort: ContactSort) => void }

export function SortHeader({ field, label, sort, onSort }: Props) {
  const direction = sort === field ? 'ascending' : sort === `-${field}` ? 'descending' : undefined
  const Icon = direction === 'ascending' ? ArrowUp : direction === 'descending' ? ArrowDown : ArrowUpDown
  return (
    <TableHead aria-sort={direction ?? 'none'}>
      <button
        type="button"
        onClick={() => onSort(nextSort(sort, field))}
        className="inline-flex items-center gap-1 whitespace-nowrap uppercase hover:text-slate-900"
        data-testid={`contacts-sort-${field}`}
      >
        {label}
        <Icon className={direction ? 'size-3.5 text-slate-900' : 'size-3.5 opacity-50'} aria-hidden />
      </button>
    </TableHead>
  )
}
