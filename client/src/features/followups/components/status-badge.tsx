import { Badge } from '@/components/ui/badge'
import { useT } from '@/lib/i18n'
import type { FollowupStatus } from '../api/types'

const TONES: Record<FollowupStatus, 'info' | 'success' | 'warning' | 'neutral' | 'danger'> = {
  PENDING: 'info',
  SENT: 'success',
  RESPONDED: 'warning',
  CANCELLED: 'neutral',
  FAILED: 'danger',
}

export function FollowupStatusBadge({ status }: { status: FollowupStatus }) {
  const t = useT()
  return (
    <Badge tone={TONES[status]} data-testid="followup-status" data-status={status}>
      {t(`followups.status.${status}`)}
    </Badge>
  )
}
