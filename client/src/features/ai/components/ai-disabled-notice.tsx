import { Alert } from '@/components/ui/alert'
import { useT } from '@/lib/i18n'
import type { AiStatus } from '../api/types'

/** Says the AI is off, why (the server's words) and how to turn it on. */
export function AiDisabledNotice({ status }: { status: AiStatus }) {
  const t = useT()
  if (status.enabled) return null
  return (
    <Alert tone="info" data-testid="ai-disabled">
      <p className="font-medium">{t('ai.disabled.title')}</p>
      {status.reason && <p className="mt-1">{status.reason}</p>}
      <p className="mt-1">{t('ai.disabled.howTo')}</p>
    </Alert>
  )
}
