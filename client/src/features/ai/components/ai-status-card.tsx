import { useState, type FormEvent } from 'react'
import { KeyRound } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Spinner } from '@/components/ui/spinner'
import { errorMessage } from '@/lib/errors'
import { useFormat, useLocale, useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { useAiUsage, useDeleteCompanyKey, useSaveCompanyKey } from '../api/status'
import type { AiStatus } from '../api/types'
import { formatUsd } from '../format'
import { AiDisabledNotice } from './ai-disabled-notice'

function CompanyKeyForm({ status }: { status: AiStatus }) {
  const t = useT()
  const format = useFormat()
  const save = useSaveCompanyKey()
  const remove = useDeleteCompanyKey()
  const [apiKey, setApiKey] = useState('')
  const [model, setModel] = useState('')
  const [error, setError] = useState<string | null>(null)

  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (apiKey.trim().length < 8) {
      setError(t('ai.key.tooShort'))
      return
    }
    setError(null)
    save.mutate(
      { apiKey: apiKey.trim(), ...(model.trim() ? { model: model.trim() } : {}) },
      {
        onSuccess: () => {
          setApiKey('')
          toast(t('ai.key.saved'))
        },
      },
    )
  }

  return (
    <form className="grid gap-3" onSubmit={submit} data-testid="ai-key-form">
      <h3 className="flex items-center gap-2 text-sm font-semibold text-slate-900">
        <KeyRound className="size-4" aria-hidden />
        {t('ai.key.title')}
      </h3>
      <p className="text-sm text-slate-500">{t('ai.key.description')}</p>
      {status.companyKey && (
        <div className="flex flex-wrap items-center gap-2 text-sm" data-testid="ai-key-current">
          <span>
            {t('ai.key.current', {
              hint: status.companyKey.hint,
              model: status.companyKey.model ?? t('ai.key.defaultModel'),
              date: format.date(status.companyKey.updatedAt),
            })}
          </span>
          <Button
            type="button"
            variant="outline"
            size="sm"
            loading={remove.isPending}
            onClick={() => remove.mutate(undefined, { onSuccess: () => toast(t('ai.key.removed')) })}
            data-testid="ai-key-remove"
          >
            {t('ai.key.remove')}
          </Button>
        </div>
      )}
      <div className="grid gap-3 sm:grid-cols-2">
        <FormField label={t('ai.key.apiKey')} error={error ?? undefined}>
          <Input
            type="password"
            autoComplete="off"
            value={apiKey}
            onChange={(event) => setApiKey(event.target.value)}
            placeholder="sk-…"
            data-testid="ai-key-input"
          />
        </FormField>
        <FormField label={t('ai.key.model')} hint={t('ai.key.modelHint')}>
          <Input value={model} onChange={(event) => setModel(event.target.value)} placeholder="gpt-4o-mini" data-testid="ai-key-model" />
        </FormField>
      </div>
      {(save.isError || remove.isError) && <Alert>{errorMessage(save.error ?? remove.error, t)}</Alert>}
      <div>
        <Button type="submit" loading={save.isPending} data-testid="ai-key-save">
          {t('ai.key.save')}
        </Button>
      </div>
    </form>
  )
}

/** This month's model calls, tokens and cost. */
export function AiUsageSummary() {
  const t = useT()
  const format = useFormat()
  const locale = useLocale()
  const usage = useAiUsage()
  if (usage.isPending) return <Spinner label={t('common.loading')} />
  if (usage.isError) return <Alert>{errorMessage(usage.error, t)}</Alert>
  const data = usage.data
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="ai-usage">
      <div>
        <dt className="text-xs text-slate-500">{t('ai.usage.tokens')}</dt>
        <dd className="text-lg font-semibold text-slate-900" data-testid="ai-usage-tokens">
          {format.number(data.tokens)}
        </dd>
      </div>
      <div>
        <dt className="text-xs text-slate-500">{t('ai.usage.cost')}</dt>
        <dd className="text-lg font-semibold text-slate-900" data-testid="ai-usage-cost">
          {formatUsd(data.costUsd, locale)}
        </dd>
      </div>
      <div>
        <dt className="text-xs text-slate-500">{t('ai.usage.calls')}</dt>
        <dd className="text-lg font-semibold text-slate-900">{format.number(data.calls)}</dd>
      </div>
      <div>
        <dt className="text-xs text-slate-500">{t('ai.usage.failed')}</dt>
        <dd className="text-lg font-semibold text-slate-900">{format.number(data.failedCalls)}</dd>
      </div>
    </dl>
  )
}

export function AiStatusCard({ status, isAdmin }: { status: AiStatus; isAdmin: boolean }) {
  const t = useT()
  return (
    <Card data-testid="ai-status" data-enabled={status.enabled}>
      <CardHeader>
        <CardTitle className="flex flex-wrap items-center gap-2">
          {t('ai.status.title')}
          <Badge tone={status.enabled ? 'success' : 'warning'} data-testid="ai-status-badge">
            {status.enabled ? t('ai.status.enabled') : t('ai.status.disabled')}
          </Badge>
        </CardTitle>
        {status.enabled && (
          <CardDescription>
            {t('ai.status.model', {
              model: status.model ?? '—',
              source: status.keySource === 'company' ? t('ai.status.sourceCompany') : t('ai.status.sourcePlatform'),
            })}
          </CardDescription>
        )}
      </CardHeader>
      <CardContent className="grid gap-6">
        <AiDisabledNotice status={status} />
        <section className="grid gap-2">
          <h3 className="text-sm font-semibold text-slate-900">{t('ai.usage.title')}</h3>
          <AiUsageSummary />
        </section>
        {isAdmin ? <CompanyKeyForm status={status} /> : <p className="text-sm text-slate-500">{t('ai.key.adminsOnly')}</p>}
      </CardContent>
    </Card>
  )
}
