import { useT } from '@/lib/i18n'
import { cn } from '@/lib/utils'
import { TAG_COLOURS } from '../format'

type Props = { value: string; onChange: (color: string) => void; testId: string }

/** A few ready colours plus the browser's own picker for anything else. */
export function ColourPicker({ value, onChange, testId }: Props) {
  const t = useT()
  return (
    <div className="flex flex-wrap items-center gap-1.5" role="group" aria-label={t('contacts.tags.color')} data-testid={testId}>
      {TAG_COLOURS.map((color) => (
        <button
          key={color}
          type="button"
          aria-label={color}
          aria-pressed={value.toLowerCase() === color.toLowerCase()}
          onClick={() => onChange(color)}
          className={cn(
            'size-5 rounded-full ring-offset-1',
            value.toLowerCase() === color.toLowerCase() && 'ring-2 ring-slate-900',
          )}
          style={{ backgroundColor: color }}
        />
      ))}
      <input
        type="color"
        aria-label={t('contacts.tags.customColor')}
        value={value}
        onChange={(event) => onChange(event.target.value.toUpperCase())}
        className="h-6 w-8 cursor-pointer rounded border border-slate-300 bg-white p-0.5"
        data-testid={`${testId}-input`}
      />
    </div>
  )
}
