import { useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { AlarmClock, X } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Select } from '@/components/ui/select'
import { Spinner } from '@/components/ui/spinner'
import { errorMessage, fieldErrors } from '@/lib/errors'
import { useFormat, useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { useCancelFollowup, usePending, useRules, useScheduleFollowup } from '../api/followups'

/** `YYYY-MM-DDTHH:MM` in local time, what <input type="datetime-local"> shows. */
function localInputValue(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`
}

function ScheduleForm({ conversationId }: { conversationId: string }) {
  const t = useT()
  const rules = useRules()
  const schedule = useScheduleFollowup()
  const [ruleId, setRuleId] = useState('')
  const [when, setWhen] = useState(() => localInputValue(new Date(Date.now() + 60 * 60_000)))
  const [errors, setErrors] = useState<Record<string, string>>({})
  const active = (rules.data ?? []).filter((rule) => rule.isActive)

  function submit(event: FormEvent) {
    event.preventDefault()
    const found: Record<string, string> = {}
    if (!ruleId) found.ruleId = t('validation.required')
    const moment = new Date(when)
    if (!when || Number.isNaN(moment.getTime())) found.scheduledFor = t('validation.required')
    setErrors(found)
    if (Object.keys(found).length > 0) return
    schedule.mutate(
      // The browser's local time, sent with its offset (UTC): the server refuses a time without one.
      { ruleId, conversationId, scheduledFor: moment.toISOString() },
      {
        onSuccess: () => toast(t('followups.scheduled')),
        onError: (error) => setErrors(fieldErrors(error, ['ruleId', 'scheduledFor'])),
      },
    )
  }

  const banner = schedule.error && Object.keys(errors).length === 0 ? errorMessage(schedule.error, t) : null
  return (
    <details className="rounded-md border border-slate-200 bg-white p-2" data-testid="followup-schedule">
      <summary className="cursor-pointer text-xs font-medium text-emerald-800">{t('followups.scheduleTitle')}</summary>
      <form onSubmit={submit} noValidate className="mt-2 grid gap-2" data-testid="followup-schedule-form">
        {banner && <Alert>{banner}</Alert>}
        <FormField label={t('followups.col.rule')} error={errors.ruleId}>
          <Select value={ruleId} onChange={(event) => setRuleId(event.target.value)} data-testid="followup-schedule-rule">
            <option value="">{t('followups.pickRule')}</option>
            {active.map((rule) => (
              <option key={rule.id} value={rule.id}>
                {rule.name}
              </option>
            ))}
          </Select>
        </FormField>
        <FormField label={t('followups.col.scheduledFor')} error={errors.scheduledFor}>
          <Input type="datetime-local" value={when} onChange={(event) => setWhen(event.target.value)} data-testid="followup-schedule-when" />
        </FormField>
        <Button type="submit" size="sm" loading={schedule.isPending} data-testid="followup-schedule-submit">
          {t('followups.schedule')}
        </Button>
      </form>
    </details>
  )
}

type Props = {
  conversationId: string
  isGroup?: boolean
}

/** The conversation's pending follow-ups, with cancel, and a form to schedule one by hand. */
export function ConversationFollowups({ conversationId, isGroup = false }: Props) {
  const t = useT()
  const format = useFormat()
  const pending = usePending({ conversationId, limit: 20 }, { enabled: !isGroup })
  const cancel = useCancelFollowup()

  if (isGroup) return null
  const items = pending.data?.data ?? []
  return (
    <section className="grid gap-1.5" data-testid="conversation-followups">
      <h3 className="flex items-center gap-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">
        <AlarmClock className="size-3.5" aria-hidden />
        {t('followups.panelTitle')}
      </h3>
      {pending.isPending ? (
        <Spinner label={t('common.loading')} />
      ) : pending.isError ? (
        <Alert>{errorMessage(pending.error, t)}</Alert>
      ) : items.length === 0 ? (
        <p className="text-xs text-slate-500" data-testid="conversation-followups-empty">
          {t('followups.panelEmpty')}
        </p>
      ) : (
        <ul className="grid gap-1.5">
          {items.map((followup) => (
            <li
              key={followup.id}
              className="flex items-start justify-between gap-2 rounded-md border border-slate-200 bg-white p-2 text-xs"
              data-testid="conversation-followup"
              data-followup-id={followup.id}
              data-rule-name={followup.ruleName}
            >
              <span className="min-w-0">
                <span className="block truncate font-medium text-slate-900">{followup.ruleName}</span>
                <span className="text-slate-500">{format.dateTime(followup.scheduledFor)}</span>
              </span>
              <Button
                variant="ghost"
                size="icon"
                className="size-7 shrink-0 text-red-600 hover:bg-red-50"
                loading={cancel.isPending && cancel.variables === followup.id}
                onClick={() =>
                  cancel.mutate(followup.id, {
                    onSuccess: () => toast(t('followups.cancelled')),
                    onError: (error) => toast(errorMessage(error, t), 'error'),
                  })
                }
                aria-label={t('followups.cancelOne', { rule: followup.ruleName })}
                title={t('followups.cancelOne', { rule: followup.ruleName })}
                data-testid="conversation-followup-cancel"
              >
                {!(cancel.isPending && cancel.variables === followup.id) && <X aria-hidden />}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <ScheduleForm conversationId={conversationId} />
      <Link to="/automation/follow-ups" className="text-xs text-emerald-700 hover:underline">
        {t('followups.manage')}
      </Link>
    </section>
  )
}
