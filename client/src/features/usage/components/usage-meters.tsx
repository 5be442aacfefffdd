import { Alert } from '@/components/ui/alert'
import { Spinner } from '@/components/ui/spinner'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { useUsage } from '../api/usage'
import { AiUsageLine } from './ai-usage'
import { UsageMeter } from './usage-meter'

export function UsageMeters() {
  const t = useT()
  const usage = useUsage()
  if (usage.isPending) return <Spinner label={t('common.loading')} />
  if (usage.isError) return <Alert>{errorMessage(usage.error, t)}</Alert>
  const { plan, usage: used } = usage.data
  return (
    <div className="grid gap-5" data-testid="usage-meters">
      <UsageMeter label={t('usage.instances')} used={used.instances} limit={plan.limits.instances} testId="meter-instances" />
      <UsageMeter label={t('usage.contacts')} used={used.contacts} limit={plan.limits.contacts} testId="meter-contacts" />
      <UsageMeter
        label={t('usage.messages')}
        used={used.messagesThisMonth}
        limit={plan.limits.messagesPerMonth}
        testId="meter-messages"
      />
      <AiUsageLine />
    </div>
  )
}
