import { useId, type ReactNode } from 'react'
import { Checkbox } from '@/components/ui/checkbox'

type Option = { value: string; label: ReactNode; color?: string }

type Props = {
  legend: string
  options: Option[]
  value: string[]
  onChange: (value: string[]) => void
  error?: string
  hint?: string
  empty?: string
  testId: string
}

/** A group of checkboxes (stages, tags, days…) with its legend and the server's message under it. */
export function ChoiceList({ legend, options, value, onChange, error, hint, empty, testId }: Props) {
  const id = useId()
  const toggle = (option: string, checked: boolean) =>
    onChange(checked ? [...value, option] : value.filter((item) => item !== option))
  return (
    <fieldset className="grid gap-1.5" aria-describedby={error ? `${id}-error` : undefined} data-testid={testId}>
      <legend className="mb-1.5 text-sm font-medium text-slate-800">{legend}</legend>
      {options.length === 0 ? (
        <p className="text-xs text-slate-500">{empty}</p>
      ) : (
        <div className="flex flex-wrap gap-x-4 gap-y-1.5">
          {options.map((option) => (
            <label key={option.value} className="flex items-center gap-1.5 text-sm text-slate-700">
              <Checkbox
                checked={value.includes(option.value)}
                onChange={(event) => toggle(option.value, event.target.checked)}
                data-testid={`${testId}-option`}
                data-value={option.value}
              />
              {option.color && <span className="size-2.5 rounded-full" style={{ backgroundColor: option.color }} aria-hidden />}
              {option.label}
            </label>
          ))}
        </div>
      )}
      {hint && !error && <p className="text-xs text-slate-500">{hint}</p>}
      {error && (
        <p id={`${id}-error`} className="text-xs font-medium text-red-600" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  )
}
