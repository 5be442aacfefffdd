import { useState } from 'react'
import { Button } from '@/components/ui/button'
import { Checkbox } from '@/components/ui/checkbox'
import { DialogFooter } from '@/components/ui/dialog'
import { useFormat, useT, type MessageKey } from '@/lib/i18n'
import type { ImportResult } from '../api/types'
import { ImportCounts } from './import-counts'
import { ImportRowsTable } from './import-rows-table'
import { ImportTagPicker } from './import-tag-picker'

// The server names the fields it recognised; the user knows them by their labels.
const COLUMN_LABEL: Record<string, MessageKey> = {
  name: 'contacts.col.name',
  phoneNumber: 'contacts.col.phone',
  email: 'contacts.col.email',
  notes: 'contacts.field.notes',
  tags: 'contacts.col.tags',
}

type Props = {
  result: ImportResult
  tagIds: string[]
  onTagIds: (tagIds: string[]) => void
  pending: boolean
  onBack: () => void
  onConfirm: () => void
}

export function ImportPreviewStep({ result, tagIds, onTagIds, pending, onBack, onConfirm }: Props) {
  const t = useT()
  const format = useFormat()
  const [onlyProblems, setOnlyProblems] = useState(false)
  const rows = onlyProblems ? result.rows.filter((row) => row.status === 'invalid' || row.status === 'duplicate') : result.rows

  return (
    <div className="grid gap-4" data-testid="import-preview">
      <ImportCounts result={result} final={false} />
      {result.columns.length > 0 && (
        <p className="text-xs text-slate-500" data-testid="import-columns">
          {t('contacts.import.columns', { columns: result.columns.map((column) => (column in COLUMN_LABEL ? t(COLUMN_LABEL[column]) : column)).join(', ') })}
        </p>
      )}
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <Checkbox checked={onlyProblems} onChange={() => setOnlyProblems(!onlyProblems)} data-testid="import-only-problems" />
        {t('contacts.import.onlyProblems')}
      </label>
      <ImportRowsTable rows={rows} />
      {result.rows.length < result.total && (
        <p className="text-xs text-slate-500">
          {t('contacts.import.truncated', { shown: format.number(result.rows.length), total: format.number(result.total) })}
        </p>
      )}
      <ImportTagPicker value={tagIds} onChange={onTagIds} />
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onBack} disabled={pending} data-testid="import-back">
          {t('contacts.import.back')}
        </Button>
        <Button onClick={onConfirm} disabled={result.created === 0 || pending} loading={pending} data-testid="import-confirm">
          {t('contacts.import.confirm', { count: format.number(result.created) })}
        </Button>
      </DialogFooter>
    </div>
  )
}
