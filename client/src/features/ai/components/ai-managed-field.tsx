import { useId } from 'react'
import { Checkbox } from '@/components/ui/checkbox'
import { useT } from '@/lib/i18n'

type Props = { checked: boolean; onChange: (checked: boolean) => void; testId: string }

/** "Gerenciada pela IA": the AI may add the tag by itself (autonomy level 1 or 2). */
export function AiManagedField({ checked, onChange, testId }: Props) {
  const t = useT()
  const id = useId()
  return (
    <div className="flex items-start gap-2 text-sm">
      <Checkbox
        id={id}
        className="mt-0.5"
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
        aria-describedby={`${id}-hint`}
        data-testid={testId}
      />
      <div>
        <label htmlFor={id} className="font-medium text-slate-900">
          {t('contacts.tags.aiManaged')}
        </label>
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {t('ai.tagHint')}
        </p>
      </div>
    </div>
  )
}
