import { useState, type FormEvent } from 'react'
import { Link } from 'react-router'
import { FileText, Sparkles } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { buttonVariants } from '@/components/ui/button-variants'
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Textarea } from '@/components/ui/textarea'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { cn } from '@/lib/utils'
import { useUpdateAiInstance } from '../api/instances'
import type { AiInstanceSettings, AiSettingsChanges, AutonomyLevel } from '../api/types'
import { LEVEL_KEYS } from '../format'
import { Switch } from './switch'

const LEVELS: AutonomyLevel[] = [0, 1, 2]
const MAX_QUIET_SECONDS = 60

type Props = { instance: AiInstanceSettings; canManage: boolean }

export function AiInstanceCard({ instance, canManage }: Props) {
  const t = useT()
  const update = useUpdateAiInstance()
  const [quiet, setQuiet] = useState(String(instance.quietWindowSeconds))
  const [fallback, setFallback] = useState(instance.fallbackReply ?? '')
  const [quietError, setQuietError] = useState<string | null>(null)
  const id = instance.instanceId
  // While a change is saved, show it already (the server's answer then replaces it).
  const pending = update.isPending ? update.variables?.changes : undefined
  const enabled = pending?.enabled ?? instance.enabled
  const currentLevel = pending?.autonomyLevel ?? instance.autonomyLevel

  const change = (changes: AiSettingsChanges, done?: string) =>
    update.mutate(
      { id, changes },
      {
        onSuccess: () => done && toast(done),
        onError: (error) => toast(errorMessage(error, t), 'error'),
      },
    )

  const saveDetails = (event: FormEvent) => {
    event.preventDefault()
    const seconds = Number(quiet)
    if (quiet.trim() === '' || !Number.isInteger(seconds) || seconds < 0 || seconds > MAX_QUIET_SECONDS) {
      setQuietError(t('ai.instance.quietInvalid', { max: MAX_QUIET_SECONDS }))
      return
    }
    setQuietError(null)
    change({ quietWindowSeconds: seconds, fallbackReply: fallback.trim() || null }, t('ai.instance.saved'))
  }

  return (
    <Card data-testid="ai-instance" data-instance-id={id} data-instance-name={instance.name} data-enabled={instance.enabled}>
      <CardHeader className="flex-row flex-wrap items-center justify-between gap-3">
        <div className="grid gap-1">
          <CardTitle className="flex flex-wrap items-center gap-2">
            {instance.name}
            <Badge tone={instance.connectionStatus === 'open' ? 'success' : 'neutral'}>{instance.connectionStatus}</Badge>
          </CardTitle>
          <p className="text-xs text-slate-500">
            {instance.promptVersion ? t('ai.instance.promptVersion', { version: instance.promptVersion }) : t('ai.instance.noPrompt')}
            {' · '}
            {instance.onboardingComplete
              ? t('ai.instance.onboardingDone')
              : t('ai.instance.onboardingStep', { step: Math.min(instance.onboardingStep + 1, 6), total: 6 })}
          </p>
        </div>
        <label className="flex items-center gap-2 text-sm font-medium text-slate-800">
          <Switch
            checked={enabled}
            disabled={!canManage || update.isPending}
            onCheckedChange={(enabled) => change({ enabled }, enabled ? t('ai.instance.turnedOn') : t('ai.instance.turnedOff'))}
            aria-label={t('ai.instance.enabledFor', { name: instance.name })}
            data-testid="ai-instance-enabled"
          />
          {enabled ? t('ai.instance.on') : t('ai.instance.off')}
        </label>
      </CardHeader>
      <CardContent className="grid gap-5">
        <fieldset className="grid gap-2" disabled={!canManage || update.isPending}>
          <legend className="mb-1 text-sm font-medium text-slate-800">{t('ai.instance.autonomy')}</legend>
          {LEVELS.map((level) => (
            <label
              key={level}
              className={cn(
                'flex cursor-pointer items-start gap-3 rounded-md border px-3 py-2 text-sm',
                currentLevel === level ? 'border-emerald-600 bg-emerald-50' : 'border-slate-200 hover:bg-slate-50',
              )}
            >
              <input
                type="radio"
                name={`autonomy-${id}`}
                className="mt-0.5 accent-emerald-700"
                checked={currentLevel === level}
                onChange={() => change({ autonomyLevel: level }, t('ai.instance.saved'))}
                data-testid={`ai-level-${level}`}
              />
              <span>
                <span className="font-medium text-slate-900">{t(LEVEL_KEYS[level].name)}</span>
                <span className="block text-slate-500">{t(LEVEL_KEYS[level].hint)}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <form className="grid gap-3" onSubmit={saveDetails} noValidate>
          <fieldset className="grid gap-3 sm:grid-cols-[10rem_1fr]" disabled={!canManage}>
            <FormField label={t('ai.instance.quiet')} hint={t('ai.instance.quietHint')} error={quietError ?? undefined}>
              <Input
                type="number"
                min={0}
                max={MAX_QUIET_SECONDS}
                step={1}
                value={quiet}
                onChange={(event) => setQuiet(event.target.value)}
                data-testid="ai-instance-quiet"
              />
            </FormField>
            <FormField label={t('ai.instance.fallback')} hint={t('ai.instance.fallbackHint')}>
              <Textarea
                rows={2}
                maxLength={1000}
                value={fallback}
                onChange={(event) => setFallback(event.target.value)}
                data-testid="ai-instance-fallback"
              />
            </FormField>
          </fieldset>
          {canManage && (
            <div>
              <Button type="submit" variant="outline" size="sm" loading={update.isPending} data-testid="ai-instance-save">
                {t('common.save')}
              </Button>
            </div>
          )}
        </form>
        {update.isError && <Alert>{errorMessage(update.error, t)}</Alert>}
        <div className="flex flex-wrap gap-2 border-t border-slate-100 pt-4">
          <Link to={`/settings/ai/${id}/prompt`} className={buttonVariants({ variant: 'outline', size: 'sm' })} data-testid="ai-instance-prompt-link">
            <FileText aria-hidden />
            {t('ai.instance.promptLink')}
          </Link>
          <Link
            to={`/settings/ai/${id}/onboarding`}
            className={buttonVariants({ variant: 'outline', size: 'sm' })}
            data-testid="ai-instance-onboarding-link"
          >
            <Sparkles aria-hidden />
            {t('ai.instance.onboardingLink')}
          </Link>
        </div>
      </CardContent>
    </Card>
  )
}
