import { Badge } from '@/components/ui/badge'
import { useT } from '@/lib/i18n'
import { cn } from '@/lib/utils'
import type { ConnectionStatus } from '../api/types'

const TONE = { close: 'danger', qrcode: 'warning', connecting: 'info', open: 'success' } as const
const DOT = { close: 'bg-red-500', qrcode: 'bg-amber-500', connecting: 'bg-sky-500 animate-pulse', open: 'bg-emerald-500' } as const

export function InstanceStatusBadge({ status }: { status: ConnectionStatus }) {
  const t = useT()
  return (
    <Badge tone={TONE[status]} className="gap-1.5" data-testid="instance-status-badge" data-status={status}>
      <span className={cn('size-1.5 rounded-full', DOT[status])} aria-hidden />
      {t(`whatsapp.status.${status}`)}
    </Badge>
  )
}
