import { Badge } from '@/components/ui/badge'
import { useT } from '@/lib/i18n'
import type { DealPriority, DealStatus } from '../api/types'

const PRIORITY_TONE = { low: 'neutral', medium: 'warning', high: 'danger' } as const
const STATUS_TONE = { OPEN: 'info', WON: 'success', LOST: 'danger' } as const

export function PriorityBadge({ priority }: { priority: DealPriority }) {
  const t = useT()
  return <Badge tone={PRIORITY_TONE[priority]}>{t(`deals.priority.${priority}`)}</Badge>
}

export function StatusBadge({ status }: { status: DealStatus }) {
  const t = useT()
  return (
    <Badge tone={STATUS_TONE[status]} data-testid="deal-status">
      {t(`deals.status.${status}`)}
    </Badge>
  )
}
