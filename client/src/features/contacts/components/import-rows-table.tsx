import { Badge } from '@/components/ui/badge'
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { useT, type MessageKey } from '@/lib/i18n'
import type { ImportRow, ImportRowStatus } from '../api/types'
import { formatPhone } from '../format'

const STATUS: Record<ImportRowStatus, { label: MessageKey; tone: 'info' | 'success' | 'warning' | 'danger' }> = {
  create: { label: 'contacts.import.status.create', tone: 'info' },
  created: { label: 'contacts.import.status.created', tone: 'success' },
  duplicate: { label: 'contacts.import.status.duplicate', tone: 'warning' },
  invalid: { label: 'contacts.import.status.invalid', tone: 'danger' },
}

export function ImportRowsTable({ rows }: { rows: ImportRow[] }) {
  const t = useT()
  return (
    <div className="max-h-72 overflow-y-auto rounded-md border border-slate-200">
      <Table data-testid="import-rows">
        <TableHeader>
          <TableRow>
            <TableHead className="w-14">{t('contacts.import.col.line')}</TableHead>
            <TableHead>{t('contacts.col.name')}</TableHead>
            <TableHead>{t('contacts.col.phone')}</TableHead>
            <TableHead>{t('contacts.col.email')}</TableHead>
            <TableHead>{t('contacts.import.col.status')}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((row) => (
            <TableRow key={row.line} data-testid="import-row" data-status={row.status}>
              <TableCell className="tabular-nums text-slate-500">{row.line}</TableCell>
              <TableCell>{row.name || '—'}</TableCell>
              <TableCell className="whitespace-nowrap tabular-nums">{formatPhone(row.phoneNumber) || row.phoneNumber || '—'}</TableCell>
              <TableCell className="max-w-40 truncate">{row.email || '—'}</TableCell>
              <TableCell>
                <Badge tone={STATUS[row.status]?.tone ?? 'neutral'}>{t(STATUS[row.status]?.label ?? 'contacts.import.status.invalid')}</Badge>
                {row.error && (
                  <span className="mt-1 block text-xs text-red-700" data-testid="import-row-error">
                    {row.error}
                  </span>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  )
}
