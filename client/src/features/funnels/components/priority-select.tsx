import type { ComponentProps } from 'react'
import { Select } from '@/components/ui/select'
import { useT } from '@/lib/i18n'
import type { DealPriority } from '../api/types'

const PRIORITIES: DealPriority[] = ['low', 'medium', 'high']

type Props = Omit<ComponentProps<'select'>, 'value' | 'onChange'> & { value: '' | DealPriority; onChange: (value: string) => void }

export function PrioritySelect({ value, onChange, ...props }: Props) {
  const t = useT()
  return (
    <Select value={value} onChange={(event) => onChange(event.target.value)} data-testid="deal-priority-select" {...props}>
      <option value="">{t('deals.priority.none')}</option>
      {PRIORITIES.map((priority) => (
        <option key={priority} value={priority}>
          {t(`deals.priority.${priority}`)}
        </option>
      ))}
    </Select>
  )
}
