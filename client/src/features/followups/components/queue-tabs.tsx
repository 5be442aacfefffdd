import { useState } from 'react'
import { Link } from 'react-router'
import { ChevronLeft, ChevronRight, X } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Label } from '@/components/ui/label'
import { Select } from '@/components/ui/select'
import { Spinner } from '@/components/ui/spinner'
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { errorMessage } from '@/lib/errors'
import { useFormat, useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { useCancelFollowup, useHistory, useLeads, usePending, useRules } from '../api/followups'
import { FOLLOWUP_STATUSES, type Followup, type FollowupStatus } from '../api/types'
import { FollowupStatusBadge } from './status-badge'

const PAGE_SIZE = 50

function RuleFilter({ value, onChange, testId }: { value: string; onChange: (value: string) => void; testId: string }) {
  const t = useT()
  const rules = useRules()
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={testId}>{t('followups.filter.rule')}</Label>
      <Select id={testId} value={value} onChange={(event) => onChange(event.target.value)} data-testid={testId}>
        <option value="">{t('followups.filter.allRules')}</option>
        {(rules.data ?? []).map((rule) => (
          <option key={rule.id} value={rule.id}>
            {rule.name}
          </option>
        ))}
      </Select>
    </div>
  )
}

function StatusFilter({ value, onChange, testId, allLabel }: { value: string; onChange: (value: FollowupStatus | '') => void; testId: string; allLabel?: string }) {
  const t = useT()
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={testId}>{t('followups.filter.status')}</Label>
      <Select id={testId} value={value} onChange={(event) => onChange(event.target.value as FollowupStatus | '')} data-testid={testId}>
        {allLabel && <option value="">{allLabel}</option>}
        {FOLLOWUP_STATUSES.map((status) => (
          <option key={status} value={status}>
            {t(`followups.status.${status}`)}
          </option>
        ))}
      </Select>
    </div>
  )
}

const contactLabel = (followup: Followup) => followup.conversation.contactName || followup.conversation.contactNumber

function ContactCell({ followup }: { followup: Followup }) {
  return (
    <TableCell>
      <Link to={`/inbox/${encodeURIComponent(followup.conversation.id)}`} className="font-medium text-emerald-800 hover:underline">
        {contactLabel(followup)}
      </Link>
      {followup.conversation.contactName && <p className="text-xs text-slate-500">{followup.conversation.contactNumber}</p>}
    </TableCell>
  )
}

/** What is waiting to go, soonest first; anyone may cancel an item. */
export function QueueTab() {
  const t = useT()
  const format = useFormat()
  const [ruleId, setRuleId] = useState('')
  const [page, setPage] = useState(1)
  const pending = usePending({ ruleId: ruleId || undefined, page, limit: PAGE_SIZE })
  const cancel = useCancelFollowup()
  const pages = pending.data?.pagination?.pages ?? 1
  return (
    <div className="grid gap-4" data-testid="followup-queue">
      <div className="flex flex-wrap items-end gap-4">
        <RuleFilter
          value={ruleId}
          onChange={(value) => {
            setRuleId(value)
            setPage(1)
          }}
          testId="queue-rule-filter"
        />
        <p className="text-sm text-slate-500">{t('followups.queueTotal', { count: pending.data?.pagination?.total ?? 0 })}</p>
      </div>
      {pending.isPending ? (
        <Spinner label={t('common.loading')} />
      ) : pending.isError ? (
        <Alert>{errorMessage(pending.error, t)}</Alert>
      ) : pending.data.data.length === 0 ? (
        <p className="p-6 text-center text-sm text-slate-500" data-testid="followup-queue-empty">
          {t('followups.queueEmpty')}
        </p>
      ) : (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>{t('followups.col.contact')}</TableHead>
              <TableHead>{t('followups.col.rule')}</TableHead>
              <TableHead>{t('followups.col.scheduledFor')}</TableHead>
              <TableHead className="text-right">{t('followups.col.attempt')}</TableHead>
              <TableHead className="sr-only">{t('followups.col.actions')}</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {pending.data.data.map((followup) => (
              <TableRow key={followup.id} data-testid="queue-row" data-followup-id={followup.id} data-rule-name={followup.ruleName}>
                <ContactCell followup={followup} />
                <TableCell>
                  {followup.ruleName}
                  {followup.source === 'manual' && <span className="ml-1 text-xs text-slate-500">({t('followups.manual')})</span>}
                </TableCell>
                <TableCell className="whitespace-nowrap">
                  {format.dateTime(followup.scheduledFor)}
                  {followup.reason && <p className="text-xs text-slate-500">{followup.reason}</p>}
                </TableCell>
                <TableCell className="text-right tabular-nums">
                  {followup.attempt}/{followup.maxAttempts}
                </TableCell>
                <TableCell className="text-right">
                  <Button
                    variant="ghost"
                    size="sm"
                    loading={cancel.isPending && cancel.variables === followup.id}
                    onClick={() =>
                      cancel.mutate(followup.id, {
                        onSuccess: () => toast(t('followups.cancelled')),
                        onError: (error) => toast(errorMessage(error, t), 'error'),
                      })
                    }
                    data-testid="queue-cancel"
                  >
                    <X aria-hidden />
                    {t('followups.cancel')}
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {pages > 1 && (
        <nav className="flex items-center justify-end gap-2 text-sm text-slate-600" aria-label={t('common.pageOf', { page, pages })}>
          <span>{t('common.pageOf', { page, pages })}</span>
          <Button variant="outline" size="sm" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            <ChevronLeft aria-hidden />
            {t('common.previous')}
          </Button>
          <Button variant="outline" size="sm" disabled={page >= pages} onClick={() => setPage(page + 1)}>
            {t('common.next')}
            <ChevronRight aria-hidden />
          </Button>
        </nav>
      )}
    </div>
  )
}

/** What already happened (sent, answered, cancelled, failed) with its reason. */
export function HistoryTab() {
  const t = useT()
  const format = useFormat()
  const [status, setStatus] = useState<FollowupStatus | ''>('')
  const [ruleId, setRuleId] = useState('')
  const history = useHistory({ status, ruleId: ruleId || undefined, limit: 200 })
  return (
    <div className="grid gap-4" data-testid="followup-history">
      <div className="flex flex-wrap gap-4">
        <StatusFilter value={status} onChange={setStatus} testId="history-status-filter" allLabel={t('followups.filter.allClosed')} />
        <RuleFilter value={ruleId} onChange={setRuleId} testId="history-rule-filter" />
      </div>
      {history.isPending ? (
        <Spinner label={t('common.loading')} />
      ) : history.isError ? (
        <Alert>{errorMessage(history.error, t)}</Alert>
      ) : history.data.length === 0 ? (
        <p className="p-6 text-center text-sm text-slate-500" data-testid="followup-history-empty">
          {t('followups.historyEmpty')}
        </p>
      ) : (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>{t('followups.col.contact')}</TableHead>
              <TableHead>{t('followups.col.rule')}</TableHead>
              <TableHead>{t('followups.filter.status')}</TableHead>
              <TableHead>{t('followups.col.when')}</TableHead>
              <TableHead>{t('followups.col.details')}</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {history.data.map((followup) => (
              <TableRow key={followup.id} data-testid="history-row" data-status={followup.status} data-rule-name={followup.ruleName}>
                <ContactCell followup={followup} />
                <TableCell>{followup.ruleName}</TableCell>
                <TableCell>
                  <FollowupStatusBadge status={followup.status} />
                </TableCell>
                <TableCell className="whitespace-nowrap">{format.dateTime(followup.closedAt ?? followup.scheduledFor)}</TableCell>
                <TableCell className="max-w-sm">
                  {followup.text ? <p className="truncate" title={followup.text}>{followup.text}</p> : null}
                  {followup.reason && <p className="text-xs text-slate-500">{followup.reason}</p>}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  )
}

/** The conversations the automation is working on, with their follow-ups. */
export function LeadsTab() {
  const t = useT()
  const format = useFormat()
  const [status, setStatus] = useState<FollowupStatus | ''>('PENDING')
  const [ruleId, setRuleId] = useState('')
  const leads = useLeads({ status, ruleId: ruleId || undefined })
  return (
    <div className="grid gap-4" data-testid="followup-leads">
      <div className="flex flex-wrap gap-4">
        <StatusFilter value={status} onChange={setStatus} testId="leads-status-filter" />
        <RuleFilter value={ruleId} onChange={setRuleId} testId="leads-rule-filter" />
      </div>
      {leads.isPending ? (
        <Spinner label={t('common.loading')} />
      ) : leads.isError ? (
        <Alert>{errorMessage(leads.error, t)}</Alert>
      ) : leads.data.length === 0 ? (
        <p className="p-6 text-center text-sm text-slate-500" data-testid="followup-leads-empty">
          {t('followups.leadsEmpty')}
        </p>
      ) : (
        <ul className="grid gap-2 sm:grid-cols-2 xl:grid-cols-3">
          {leads.data.map((lead) => (
            <li key={lead.conversation.id} className="rounded-lg border border-slate-200 bg-white p-3" data-testid="lead-card">
              <Link to={`/inbox/${encodeURIComponent(lead.conversation.id)}`} className="font-medium text-emerald-800 hover:underline">
                {lead.contact.name || lead.contact.phoneNumber}
              </Link>
              <p className="text-xs text-slate-500">
                {lead.contact.phoneNumber}
                {lead.conversation.lastMessageAt && ` · ${t('followups.lastMessage', { when: format.dateTime(lead.conversation.lastMessageAt) })}`}
              </p>
              <ul className="mt-2 grid gap-1 text-sm">
                {lead.followups.map((followup) => (
                  <li key={followup.id} className="flex flex-wrap items-center gap-1.5">
                    <FollowupStatusBadge status={followup.status} />
                    <span className="text-slate-800">{followup.ruleName}</span>
                    <span className="text-xs text-slate-500">{format.dateTime(followup.scheduledFor)}</span>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
