import { useT, type MessageKey } from '@/lib/i18n'

type Variable = { token: string; labelKey: MessageKey }

type Props = {
  variables: readonly Variable[]
  onInsert: (token: string) => void
  testId: string
  label?: string
}

/** The message variables as chips; a click inserts the variable's token. */
export function VariableChips({ variables, onInsert, testId, label }: Props) {
  const t = useT()
  return (
    <div className="flex flex-wrap gap-1.5" aria-label={label}>
      {variables.map((variable) => (
        <button
          key={variable.token}
          type="button"
          onClick={() => onInsert(variable.token)}
          title={variable.token}
          className="rounded-full border border-slate-200 bg-slate-50 px-2 py-0.5 text-xs text-slate-700 hover:border-emerald-600 hover:text-emerald-800"
          data-testid={testId}
          data-token={variable.token}
        >
          {t(variable.labelKey)}
        </button>
      ))}
    </div>
  )
}
