import { Checkbox } from '@/components/ui/checkbox'
import { PERMISSION_KEYS, type PermissionKey, type Permissions } from '@/types/api'
import { useT } from '@/lib/i18n'

type PermissionCheckboxesProps = {
  value: Permissions
  onChange: (value: Permissions) => void
  disabled?: boolean
  /** Locks single boxes (e.g. what the current user may not grant). */
  isLocked?: (key: PermissionKey) => boolean
  hint?: string
}

export function PermissionCheckboxes({ value, onChange, disabled, isLocked, hint }: PermissionCheckboxesProps) {
  const t = useT()
  return (
    <fieldset className="grid gap-2" disabled={disabled}>
      <legend className="mb-1 text-sm font-medium text-slate-800">{t('team.permissions')}</legend>
      {PERMISSION_KEYS.map((key) => (
        <label key={key} className="flex items-center gap-2 text-sm text-slate-700">
          <Checkbox
            name={key}
            checked={value[key]}
            disabled={isLocked?.(key)}
            onChange={(event) => onChange({ ...value, [key]: event.target.checked })}
          />
          {t(`permission.${key}`)}
        </label>
      ))}
      {hint && <p className="text-xs text-slate-500">{hint}</p>}
    </fieldset>
  )
}
