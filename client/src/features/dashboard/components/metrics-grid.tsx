import { useFormat, useLocale, useT } from '@/lib/i18n'
import type { DashboardMetrics } from '../api/dashboard'
import { formatMoney, formatWait } from '../format'
import { KpiCard } from './kpi-card'

export function MetricsGrid({ metrics }: { metrics: DashboardMetrics }) {
  const t = useT()
  const format = useFormat()
  const locale = useLocale()
  const { messages, conversations, contacts, deals, ai } = metrics
  return (
    <div className="grid grid-cols-2 gap-3 md:grid-cols-4" data-testid="dashboard-kpis">
      <KpiCard testId="kpi-received" label={t('dashboard.kpi.received')} value={format.number(messages.received)} />
      <KpiCard
        testId="kpi-sent"
        label={t('dashboard.kpi.sent')}
        value={format.number(messages.sent)}
        hint={t('dashboard.kpi.sentHint', { ai: format.number(messages.aiSent), people: format.number(messages.humanSent) })}
      />
      <KpiCard testId="kpi-active" label={t('dashboard.kpi.active')} value={format.number(conversations.active)} />
      <KpiCard
        testId="kpi-waiting"
        tone={conversations.waiting > 0 ? 'warning' : 'default'}
        label={t('dashboard.kpi.waiting')}
        value={format.number(conversations.waiting)}
        hint={
          conversations.waiting > 0
            ? t('dashboard.kpi.waitingHint', {
                average: formatWait(conversations.averageWaitSeconds),
                longest: formatWait(conversations.longestWaitSeconds),
              })
            : undefined
        }
      />
      <KpiCard
        testId="kpi-contacts"
        label={t('dashboard.kpi.newContacts')}
        value={format.number(contacts.new)}
        hint={t('dashboard.kpi.totalContacts', { total: format.number(contacts.total) })}
      />
      <KpiCard
        testId="kpi-pipeline"
        label={t('dashboard.kpi.pipeline')}
        value={formatMoney(deals.openValue, locale)}
        hint={t('dashboard.kpi.openDeals', { count: format.number(deals.open) })}
      />
      <KpiCard
        testId="kpi-conversion"
        label={t('dashboard.kpi.conversion')}
        value={`${deals.conversionRate.toLocaleString(locale)}%`}
        hint={t('dashboard.kpi.conversionBase', { won: deals.conversionBase.won, created: deals.conversionBase.created })}
      />
      <KpiCard
        testId="kpi-ai"
        label={t('dashboard.kpi.ai')}
        value={format.number(ai.replies)}
        hint={t('dashboard.kpi.aiHint', { rate: messages.aiResponseRate.toLocaleString(locale), handovers: ai.handovers })}
      />
    </div>
  )
}
