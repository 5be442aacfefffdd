import { VariableChips } from '@/components/variable-chips'
import { useT } from '@/lib/i18n'
import { previewText, VARIABLES } from '../variables'

type Props = {
  content: string
  /** The caller's real company and user names, for a preview closer to what will be sent. */
  names: Partial<Record<string, string>>
  onInsert: (token: string) => void
}

export function VariablesPanel({ content, names, onInsert }: Props) {
  const t = useT()
  const preview = previewText(content, names)
  return (
    <div className="grid gap-3">
      <div className="grid gap-1.5">
        <p className="text-sm font-medium text-slate-700">{t('quickReplies.variables')}</p>
        <VariableChips variables={VARIABLES} onInsert={onInsert} testId="quick-reply-variable" />
        <p className="text-xs text-slate-500">{t('quickReplies.variablesHint')}</p>
      </div>
      <div className="grid gap-1.5">
        <p className="text-sm font-medium text-slate-700">{t('quickReplies.preview')}</p>
        <p
          className="min-h-10 rounded-lg bg-emerald-50 px-3 py-2 text-sm whitespace-pre-wrap text-slate-800"
          data-testid="quick-reply-preview"
        >
          {preview.trim() ? preview : <span className="text-slate-400">{t('quickReplies.previewEmpty')}</span>}
        </p>
      </div>
    </div>
  )
}
