import { Checkbox } from '@/components/ui/checkbox'
import { PERMISSION_KEYS, type Permissions } from '@/types/api'
import { useT } from '@/lib/i18n'

type PermissionCheckboxesProps = { value: Permissions; onChange: (value: Permissions) => void; disabled?: boolean }

export function PermissionCheckboxes({ value, onChange, disabled }: PermissionCheckboxesProps) {
  const t = useT()
  return (
    <fieldset className="grid gap-2" disabled={disabled}>
      <legend className="mb-1 text-sm font-medium text-slate-800">{t('team.permissions')}</legend>
      {PERMISSION_KEYS.map((key) => (
        <label key={key} className="flex items-center gap-2 text-sm text-slate-700">
          <Checkbox
            name={key}
            checked={value[key]}
            onChange={(event) => onChange({ ...value, [key]: event.target.checked })}
          />
          {t(`permission.${key}`)}
        </label>
      ))}
    </fieldset>
  )
}
