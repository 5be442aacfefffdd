import { useDeferredValue, useState, type FormEvent } from 'react'
import { FlaskConical, X } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Select } from '@/components/ui/select'
import { Textarea } from '@/components/ui/textarea'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { useContactChoices, useTestFlow, type ContactChoice } from '../api/flows'
import type { Step, TestRunInput } from '../api/types'
import { detailText } from './handle-label'
import { PathSteps } from './path-steps'

type Props = {
  flowId: string
  /** Unsaved changes: the server tests the saved version. */
  dirty: boolean
  onPath: (steps: Step[] | null) => void
  onPick: (nodeId: string) => void
  /** The SPLIT branches of the flow (a, b, …); empty when it has none. */
  splitBranches: string[]
}

/** POST /api/flows/:id/test: a dry run for a contact and a sample message; its path is shown on the canvas. */
export function TestRunPanel({ flowId, dirty, onPath, onPick, splitBranches }: Props) {
  const t = useT()
  const [search, setSearch] = useState('')
  const [contact, setContact] = useState<ContactChoice | null>(null)
  const [message, setMessage] = useState('')
  const [trigger, setTrigger] = useState('')
  const [splitBranch, setSplitBranch] = useState('')
  const [triggerError, setTriggerError] = useState<string | undefined>()
  const choices = useContactChoices(useDeferredValue(search))
  const run = useTestFlow(flowId)

  function submit(event: FormEvent) {
    event.preventDefault()
    const input: TestRunInput = {}
    if (contact) input.contactId = contact.id
    if (message.trim()) input.message = message
    if (splitBranch) input.splitBranch = splitBranch
    if (trigger.trim()) {
      try {
        const parsed = JSON.parse(trigger) as unknown
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object')
        input.trigger = parsed as Record<string, unknown>
      } catch {
        setTriggerError(t('flows.test.triggerInvalid'))
        return
      }
    }
    setTriggerError(undefined)
    run.mutate(input, { onSuccess: (result) => onPath(result.path), onError: () => onPath(null) })
  }

  const outcome = run.data ? detailText(run.data.outcome) : null
  return (
    <div className="grid gap-4" data-testid="flow-test-panel">
      <div>
        <h3 className="text-sm font-semibold text-slate-900">{t('flows.test.title')}</h3>
        <p className="text-xs text-slate-500">{t('flows.test.subtitle')}</p>
      </div>
      {dirty && <Alert tone="info">{t('flows.test.unsaved')}</Alert>}
      <form onSubmit={submit} className="grid gap-3" noValidate>
        <div className="grid gap-1.5">
          {contact ? (
            <div className="flex items-center justify-between gap-2 rounded-md border border-slate-200 px-2 py-1.5 text-sm" data-testid="flow-test-contact">
              <span className="truncate">
                {contact.displayName}
                {contact.phoneNumber && <span className="ml-1 text-slate-500">{contact.phoneNumber}</span>}
              </span>
              <Button type="button" variant="ghost" size="icon" aria-label={t('flows.test.clearContact')} onClick={() => setContact(null)}>
                <X aria-hidden />
              </Button>
            </div>
          ) : (
            <>
              <FormField label={t('flows.test.contact')} hint={t('flows.test.contactHint')}>
                <Input
                  type="search"
                  value={search}
                  onChange={(event) => setSearch(event.target.value)}
                  placeholder={t('flows.test.contactSearch')}
                  data-testid="flow-test-contact-search"
                />
              </FormField>
              {search.trim() && choices.data && (
                <ul className="grid max-h-40 gap-0.5 overflow-y-auto rounded-md border border-slate-200 p-1" data-testid="flow-test-contact-results">
                  {choices.data.length === 0 && <li className="px-2 py-1 text-xs text-slate-500">{t('flows.test.noContacts')}</li>}
                  {choices.data.map((choice) => (
                    <li key={choice.id}>
                      <button
                        type="button"
                        className="w-full rounded px-2 py-1 text-left text-sm hover:bg-emerald-50"
                        onClick={() => {
                          setContact(choice)
                          setSearch('')
                        }}
                      >
                        {choice.displayName}
                        {choice.phoneNumber && <span className="ml-1 text-xs text-slate-500">{choice.phoneNumber}</span>}
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
        </div>
        <FormField label={t('flows.test.message')} hint={t('flows.test.messageHint')}>
          <Textarea rows={2} value={message} onChange={(event) => setMessage(event.target.value)} data-testid="flow-test-message" />
        </FormField>
        <FormField label={t('flows.test.trigger')} hint={t('flows.test.triggerHint')} error={triggerError}>
          <Textarea
            rows={3}
            className="font-mono text-xs"
            value={trigger}
            onChange={(event) => setTrigger(event.target.value)}
            placeholder='{"phone": "+5511999999999"}'
            data-testid="flow-test-trigger"
          />
        </FormField>
        {splitBranches.length > 0 && (
          <FormField label={t('flows.test.splitBranch')}>
            <Select value={splitBranch} onChange={(event) => setSplitBranch(event.target.value)} data-testid="flow-test-split">
              <option value="">{t('flows.test.firstBranch')}</option>
              {splitBranches.map((branch) => (
                <option key={branch} value={branch}>
                  {branch.toUpperCase()}
                </option>
              ))}
            </Select>
          </FormField>
        )}
        <div className="flex gap-2">
          <Button type="submit" loading={run.isPending} data-testid="flow-test-run">
            <FlaskConical aria-hidden />
            {t('flows.test.run')}
          </Button>
          {run.data && (
            <Button
              type="button"
              variant="outline"
              onClick={() => {
                run.reset()
                onPath(null)
              }}
            >
              {t('flows.test.clear')}
            </Button>
          )}
        </div>
      </form>
      {run.isError && <Alert>{errorMessage(run.error, t)}</Alert>}
      {run.data && (
        <section className="grid gap-2" data-testid="flow-test-result">
          {outcome && (
            <p className="text-sm">
              <span className="text-slate-500">{t('flows.test.outcome')}: </span>
              <span className="font-medium" data-testid="flow-test-outcome">
                {outcome}
              </span>
            </p>
          )}
          <PathSteps steps={run.data.path} onPick={onPick} />
        </section>
      )}
    </div>
  )
}
