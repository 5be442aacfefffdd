import { AlertCircle, Check, CheckCheck, Clock } from 'lucide-react'
import { useT } from '@/lib/i18n'
import { cn } from '@/lib/utils'
import type { MessageStatus } from '../api/types'

/** Delivery state of a message we sent, as WhatsApp shows it. */
export function MessageTicks({ status, error, className }: { status: MessageStatus; error?: string | null; className?: string }) {
  const t = useT()
  const common = cn('inline size-3.5 shrink-0', className)
  switch (status) {
    case 'PENDING':
      return <Clock className={cn(common, 'text-slate-400')} aria-label={t('inbox.status.PENDING')} data-tick="pending" />
    case 'SENT':
      return <Check className={cn(common, 'text-slate-400')} aria-label={t('inbox.status.SENT')} data-tick="sent" />
    case 'DELIVERED':
      return <CheckCheck className={cn(common, 'text-slate-400')} aria-label={t('inbox.status.DELIVERED')} data-tick="delivered" />
    case 'READ':
    case 'PLAYED':
      return <CheckCheck className={cn(common, 'text-sky-500')} aria-label={t(`inbox.status.${status}`)} data-tick="read" />
    case 'FAILED': {
      const label = error ? t('inbox.failedWithError', { error }) : t('inbox.status.FAILED')
      return (
        <span title={`${label} ${t('inbox.failedHint')}`} className="inline-flex">
          <AlertCircle className={cn(common, 'text-red-600')} aria-label={label} data-tick="failed" />
        </span>
      )
    }
    default:
      return null
  }
}
