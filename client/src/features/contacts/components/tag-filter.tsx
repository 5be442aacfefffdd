import { ChevronDown, Tags } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Checkbox } from '@/components/ui/checkbox'
import { Popover, PopoverContent, PopoverTrigger } from '@/components/ui/popover'
import { Spinner } from '@/components/ui/spinner'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { cn } from '@/lib/utils'
import { useTags } from '../api/tags'

type Props = {
  tagIds: string[]
  match: 'any' | 'all'
  onChange: (changes: { tagIds?: string[]; tagMatch?: 'any' | 'all' }) => void
}

export function TagFilter({ tagIds, match, onChange }: Props) {
  const t = useT()
  const tags = useTags()
  const toggle = (id: string) => {
    const next = tagIds.includes(id) ? tagIds.filter((tagId) => tagId !== id) : [...tagIds, id]
    onChange({ tagIds: next.length > 0 ? next : undefined })
  }

  return (
    <Popover>
      <PopoverTrigger asChild>
        <Button variant="outline" className="w-full justify-start px-3 font-normal" data-testid="contacts-filter-tags">
          <Tags aria-hidden />
          {tagIds.length > 0 ? t('contacts.filter.tagsCount', { count: tagIds.length }) : t('contacts.filter.tags')}
          <ChevronDown className="ml-auto opacity-60" aria-hidden />
        </Button>
      </PopoverTrigger>
      <PopoverContent align="start" className="grid w-72 gap-2 p-3" data-testid="contacts-filter-tags-panel">
        <div role="radiogroup" aria-label={t('contacts.filter.tagMatch')} className="grid grid-cols-2 gap-1 rounded-md bg-slate-100 p-1">
          {(['any', 'all'] as const).map((option) => (
            <button
              key={option}
              type="button"
              role="radio"
              aria-checked={match === option}
              onClick={() => onChange({ tagMatch: option === 'all' ? 'all' : undefined })}
              className={cn(
                'rounded px-2 py-1 text-xs font-medium',
                match === option ? 'bg-white text-slate-900 shadow-sm' : 'text-slate-600 hover:text-slate-900',
              )}
              data-testid={`contacts-filter-tag-match-${option}`}
            >
              {t(option === 'any' ? 'contacts.filter.matchAny' : 'contacts.filter.matchAll')}
            </button>
          ))}
        </div>
        {tags.isPending ? (
          <Spinner label={t('common.loading')} className="p-3" />
        ) : tags.isError ? (
          <Alert>{errorMessage(tags.error, t)}</Alert>
        ) : tags.data.length === 0 ? (
          <p className="p-2 text-sm text-slate-500">{t('contacts.tags.none')}</p>
        ) : (
          <ul className="max-h-64 overflow-y-auto">
            {tags.data.map((tag) => (
              <li key={tag.id}>
                <label className="flex cursor-pointer items-center gap-2 rounded px-1.5 py-1 text-sm hover:bg-slate-50">
                  <Checkbox
                    checked={tagIds.includes(tag.id)}
                    onChange={() => toggle(tag.id)}
                    data-testid="contacts-filter-tag-option"
                    data-tag-id={tag.id}
                  />
                  <span className="size-2.5 shrink-0 rounded-full" style={{ backgroundColor: tag.color }} aria-hidden />
                  <span className="truncate">{tag.name}</span>
                </label>
              </li>
            ))}
          </ul>
        )}
      </PopoverContent>
    </Popover>
  )
}
