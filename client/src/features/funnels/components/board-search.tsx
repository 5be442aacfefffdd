import { Search, X } from 'lucide-react'
import { Input } from '@/components/ui/input'
import { useT } from '@/lib/i18n'

type Props = { value: string; onChange: (value: string) => void; resultCount?: number }

export function BoardSearch({ value, onChange, resultCount }: Props) {
  const t = useT()
  return (
    <div className="flex items-center gap-2">
      <div className="relative w-64">
        <Search className="pointer-events-none absolute top-2.5 left-2.5 size-4 text-slate-400" aria-hidden />
        <Input
          type="search"
          value={value}
          onChange={(event) => onChange(event.target.value)}
          placeholder={t('funnels.searchPlaceholder')}
          aria-label={t('funnels.searchPlaceholder')}
          className="pr-8 pl-8"
          data-testid="board-search"
        />
        {value && (
          <button
            type="button"
            className="absolute top-2.5 right-2.5 text-slate-400 hover:text-slate-700"
            aria-label={t('funnels.clearSearch')}
            onClick={() => onChange('')}
          >
            <X className="size-4" aria-hidden />
          </button>
        )}
      </div>
      {resultCount !== undefined && (
        <span className="text-xs text-slate-500" role="status" data-testid="board-search-count">
          {t('funnels.searchResults', { count: resultCount })}
        </span>
      )}
    </div>
  )
}
