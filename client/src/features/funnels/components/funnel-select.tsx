import { Select } from '@/components/ui/select'
import { useT } from '@/lib/i18n'
import type { Funnel } from '../api/types'

type Props = { funnels: Funnel[]; value: string; onChange: (funnelId: string) => void }

export function FunnelSelect({ funnels, value, onChange }: Props) {
  const t = useT()
  return (
    <Select
      value={value}
      onChange={(event) => onChange(event.target.value)}
      aria-label={t('funnels.select')}
      data-testid="funnel-select"
      className="w-auto min-w-48 font-medium"
    >
      {funnels.map((funnel) => (
        <option key={funnel.id} value={funnel.id}>
          {funnel.isDefault ? t('funnels.defaultSuffix', { name: funnel.name }) : funnel.name}
        </option>
      ))}
    </Select>
  )
}
