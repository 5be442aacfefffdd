import { useSearchParams } from 'react-router'
import { TabButton } from '@/components/ui/tab-button'
import { PageHeader } from '@/components/page-header'
import { isCompanyAdmin, useMe } from '@/features/auth/api/me'
import { useT, type MessageKey } from '@/lib/i18n'
import { HolidaysTab } from './holidays-tab'
import { MetricsTab } from './metrics-tab'
import { HistoryTab, LeadsTab, QueueTab } from './queue-tabs'
import { RulesTab } from './rules-tab'

const TABS = ['rules', 'queue', 'history', 'leads', 'metrics', 'holidays'] as const
type Tab = (typeof TABS)[number]
const LABELS: Record<Tab, MessageKey> = {
  rules: 'followups.tab.rules',
  queue: 'followups.tab.queue',
  history: 'followups.tab.history',
  leads: 'followups.tab.leads',
  metrics: 'followups.tab.metrics',
  holidays: 'followups.tab.holidays',
}

/** Automation › Follow-ups: rules, the queue, history, leads, metrics and holidays (the tab is in the URL). */
export function FollowupsPage() {
  const t = useT()
  const me = useMe()
  const [params, setParams] = useSearchParams()
  const requested = params.get('tab') as Tab | null
  const tab: Tab = requested && TABS.includes(requested) ? requested : 'rules'
  // The server decides (403); this only hides what a member cannot do.
  const canManage = isCompanyAdmin(me.data) || (me.data?.permissions.canManageFlows ?? false)

  return (
    <div className="grid gap-4" data-testid="followups-page">
      <PageHeader title={t('followups.title')} description={t('followups.subtitle')} />
      <div role="tablist" className="flex gap-1 overflow-x-auto border-b border-slate-200">
        {TABS.map((item) => (
          <TabButton key={item} active={tab === item} onClick={() => setParams(item === 'rules' ? {} : { tab: item })} testId={`followups-tab-${item}`}>
            {t(LABELS[item])}
          </TabButton>
        ))}
      </div>
      <div role="tabpanel">
        {tab === 'rules' && <RulesTab canManage={canManage} />}
        {tab === 'queue' && <QueueTab />}
        {tab === 'history' && <HistoryTab />}
        {tab === 'leads' && <LeadsTab />}
        {tab === 'metrics' && <MetricsTab />}
        {tab === 'holidays' && <HolidaysTab canManage={canManage} />}
      </div>
    </div>
  )
}
