import { useFormat, useT, type MessageKey } from '@/lib/i18n'
import { cn } from '@/lib/utils'
import type { ImportResult } from '../api/types'

type Props = { result: ImportResult; final: boolean }

/** Totals of a preview ("to create") or of the finished import ("created"). */
export function ImportCounts({ result, final }: Props) {
  const t = useT()
  const format = useFormat()
  const items: { key: string; label: MessageKey; value: number; tone: string }[] = [
    { key: 'total', label: 'contacts.import.count.total', value: result.total, tone: 'text-slate-900' },
    {
      key: 'created',
      label: final ? 'contacts.import.count.created' : 'contacts.import.count.toCreate',
      value: result.created,
      tone: 'text-emerald-700',
    },
    { key: 'duplicates', label: 'contacts.import.count.duplicates', value: result.duplicates, tone: 'text-amber-700' },
    { key: 'invalid', label: 'contacts.import.count.invalid', value: result.invalid, tone: 'text-red-700' },
  ]
  return (
    <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4" data-testid="import-counts">
      {items.map((item) => (
        <div key={item.key} className="rounded-lg border border-slate-200 p-2 text-center" data-testid={`import-count-${item.key}`}>
          <dt className="text-xs text-slate-500">{t(item.label)}</dt>
          <dd className={cn('text-xl font-semibold tabular-nums', item.tone)}>{format.number(item.value)}</dd>
        </div>
      ))}
    </dl>
  )
}
