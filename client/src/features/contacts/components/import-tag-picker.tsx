import { Check } from 'lucide-react'
import { useT } from '@/lib/i18n'
import { cn } from '@/lib/utils'
import { IMPORT_MAX_TAGS } from '../api/import'
import { useTags } from '../api/tags'

type Props = { value: string[]; onChange: (tagIds: string[]) => void }

/** Tags put on every contact the import creates (duplicates keep theirs). */
export function ImportTagPicker({ value, onChange }: Props) {
  const t = useT()
  const tags = useTags()
  if (!tags.data || tags.data.length === 0) return null
  const toggle = (id: string) => onChange(value.includes(id) ? value.filter((tagId) => tagId !== id) : [...value, id])
  return (
    <fieldset className="grid gap-2">
      <legend className="mb-1 text-sm font-medium text-slate-800">{t('contacts.import.tags')}</legend>
      <div className="flex flex-wrap gap-1.5">
        {tags.data.map((tag) => {
          const on = value.includes(tag.id)
          return (
            <button
              key={tag.id}
              type="button"
              aria-pressed={on}
              disabled={!on && value.length >= IMPORT_MAX_TAGS}
              onClick={() => toggle(tag.id)}
              className={cn(
                'inline-flex items-center gap-1 rounded-full border px-2.5 py-1 text-xs font-medium disabled:opacity-40',
                on ? 'border-emerald-600 bg-emerald-50 text-emerald-800' : 'border-slate-300 text-slate-600 hover:bg-slate-50',
              )}
              data-testid="import-tag-option"
              data-tag-id={tag.id}
            >
              {on ? <Check className="size-3" aria-hidden /> : <span className="size-2 rounded-full" style={{ backgroundColor: tag.color }} aria-hidden />}
              {tag.name}
            </button>
          )
        })}
      </div>
    </fieldset>
  )
}
