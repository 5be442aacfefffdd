import { useState, type ReactNode } from 'react'
import { useNavigate } from 'react-router'
import { Check, Plus, Trash2 } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Checkbox } from '@/components/ui/checkbox'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { Select } from '@/components/ui/select'
import { Spinner } from '@/components/ui/spinner'
import { Textarea } from '@/components/ui/textarea'
import { errorMessage } from '@/lib/errors'
import { useT, type MessageKey } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { cn } from '@/lib/utils'
import { useAiInstance } from '../api/instances'
import { useGeneratePrompt, useOnboarding, useSaveOnboarding } from '../api/onboarding'
import { useSavePrompt } from '../api/prompt'
import { useAiStatus } from '../api/status'
import { TONES, type FaqItem, type Onboarding, type OnboardingSave, type Tone } from '../api/types'
import { useAiPermissions } from '../hooks'
import { AiDisabledNotice } from './ai-disabled-notice'
import { BackToAiSettings } from './prompt-editor-page'

const STEP_KEYS: MessageKey[] = [
  'ai.onboarding.step.business',
  'ai.onboarding.step.audience',
  'ai.onboarding.step.products',
  'ai.onboarding.step.faq',
  'ai.onboarding.step.rules',
  'ai.onboarding.step.review',
]
const LAST = STEP_KEYS.length - 1
const DAY_KEYS: MessageKey[] = ['ai.day.0', 'ai.day.1', 'ai.day.2', 'ai.day.3', 'ai.day.4', 'ai.day.5', 'ai.day.6']
const TONE_KEYS: Record<Tone, MessageKey> = {
  formal: 'ai.tone.formal',
  professional_friendly: 'ai.tone.professional_friendly',
  casual: 'ai.tone.casual',
  enthusiastic: 'ai.tone.enthusiastic',
}

/** The answers as the form edits them (lists as one item per line). */
type Form = {
  businessName: string
  businessType: string
  businessDescription: string
  targetAudience: string
  tone: Tone
  mainProducts: string
  promotions: string
  faq: FaqItem[]
  restrictions: string
  start: string
  end: string
  timezone: string
  workDays: number[]
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)

function toForm(data: Onboarding): Form {
  return {
    businessName: data.businessName ?? '',
    businessType: data.businessType ?? '',
    businessDescription: data.businessDescription ?? '',
    targetAudience: data.targetAudience ?? '',
    tone: data.tone ?? 'professional_friendly',
    mainProducts: (data.mainProducts ?? []).join('\n'),
    promotions: data.promotions ?? '',
    faq: data.faq ?? [],
    restrictions: (data.restrictions ?? []).join('\n'),
    start: data.workingHours?.start ?? '09:00',
    end: data.workingHours?.end ?? '18:00',
    timezone: data.workingHours?.timezone ?? 'America/Sao_Paulo',
    workDays: data.workingHours?.workDays ?? [1, 2, 3, 4, 5],
  }
}

/** What one step sends: only its own answers (the server merges them into what it has). */
function stepAnswers(step: number, form: Form): OnboardingSave {
  const text = (value: string) => value.trim() || null
  switch (step) {
    case 0:
      return {
        businessName: text(form.businessName),
        businessType: text(form.businessType),
        businessDescription: text(form.businessDescription),
      }
    case 1:
      return { targetAudience: text(form.targetAudience), tone: form.tone }
    case 2:
      return { mainProducts: lines(form.mainProducts), promotions: text(form.promotions) }
    case 3:
      return { faq: form.faq.filter((item) => item.question.trim() && item.answer.trim()) }
    case 4:
      return {
        restrictions: lines(form.restrictions),
        workingHours: { start: form.start, end: form.end, timezone: form.timezone.trim(), workDays: form.workDays },
      }
    default:
      return {}
  }
}

function Steps({ current }: { current: number }) {
  const t = useT()
  return (
    <ol className="flex flex-wrap gap-2" data-testid="ai-onboarding-steps">
      {STEP_KEYS.map((key, index) => (
        <li
          key={key}
          className={cn(
            'flex items-center gap-1.5 rounded-full border px-3 py-1 text-xs font-medium',
            index === current
              ? 'border-emerald-600 bg-emerald-50 text-emerald-800'
              : index < current
                ? 'border-emerald-200 text-emerald-700'
                : 'border-slate-200 text-slate-500',
          )}
          aria-current={index === current ? 'step' : undefined}
        >
          {index < current ? <Check className="size-3" aria-hidden /> : <span>{index + 1}.</span>}
          {t(key)}
        </li>
      ))}
    </ol>
  )
}

function Review({ instanceId, form }: { instanceId: string; form: Form }) {
  const t = useT()
  const navigate = useNavigate()
  const generate = useGeneratePrompt(instanceId)
  const savePrompt = useSavePrompt(instanceId)
  const saveOnboarding = useSaveOnboarding(instanceId)
  const [prompt, setPrompt] = useState<string | null>(null)
  const error = generate.error ?? savePrompt.error ?? saveOnboarding.error

  const use = async () => {
    if (!prompt) return
    await savePrompt.mutateAsync({ content: prompt, source: 'generated' })
    await saveOnboarding.mutateAsync({ currentStep: LAST, isComplete: true })
    toast(t('ai.onboarding.used'))
    void navigate(`/settings/ai/${encodeURIComponent(instanceId)}/prompt`)
  }

  const summary: [MessageKey, string][] = [
    ['ai.onboarding.businessName', form.businessName],
    ['ai.onboarding.businessType', form.businessType],
    ['ai.onboarding.tone', t(TONE_KEYS[form.tone])],
    ['ai.onboarding.products', lines(form.mainProducts).join(', ')],
    ['ai.onboarding.faq', String(form.faq.length)],
    ['ai.onboarding.hours', `${form.start}–${form.end}`],
  ]
  return (
    <div className="grid gap-4">
      <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]" data-testid="ai-onboarding-summary">
        {summary.map(([key, value]) => (
          <div key={key} className="contents">
            <dt className="text-slate-500">{t(key)}</dt>
            <dd className="text-slate-900">{value || '—'}</dd>
          </div>
        ))}
      </dl>
      <div>
        <Button
          variant={prompt ? 'outline' : 'default'}
          loading={generate.isPending}
          onClick={() => generate.mutate(undefined, { onSuccess: (result) => setPrompt(result.generatedPrompt) })}
          data-testid="ai-onboarding-generate"
        >
          {prompt ? t('ai.onboarding.regenerate') : t('ai.onboarding.generate')}
        </Button>
      </div>
      {prompt !== null && (
        <div className="grid gap-2" data-testid="ai-onboarding-generated">
          <p className="text-xs text-slate-500">
            {t('ai.onboarding.generatedMeta', { length: generate.data?.promptLength ?? prompt.length, tokens: generate.data?.estimatedTokens ?? 0 })}
          </p>
          <Textarea
            rows={14}
            value={prompt}
            onChange={(event) => setPrompt(event.target.value)}
            className="font-mono text-xs"
            aria-label={t('ai.onboarding.generatedLabel')}
            data-testid="ai-onboarding-prompt"
          />
          <div>
            <Button
              loading={savePrompt.isPending || saveOnboarding.isPending}
              disabled={!prompt.trim()}
              onClick={() => void use().catch(() => undefined)}
              data-testid="ai-onboarding-use"
            >
              {t('ai.onboarding.use')}
            </Button>
          </div>
        </div>
      )}
      {error && <Alert>{errorMessage(error, t)}</Alert>}
    </div>
  )
}

function FaqEditor({ faq, onChange }: { faq: FaqItem[]; onChange: (faq: FaqItem[]) => void }) {
  const t = useT()
  const set = (index: number, item: Partial<FaqItem>) => onChange(faq.map((old, i) => (i === index ? { ...old, ...item } : old)))
  return (
    <div className="grid gap-3">
      {faq.length === 0 && <p className="text-sm text-slate-500">{t('ai.onboarding.faqEmpty')}</p>}
      {faq.map((item, index) => (
        <div key={index} className="grid gap-2 rounded-md border border-slate-200 p-3" data-testid="ai-onboarding-faq-item">
          <div className="flex items-center justify-between">
            <span className="text-xs font-medium text-slate-500">{t('ai.onboarding.faqN', { n: index + 1 })}</span>
            <Button
              variant="ghost"
              size="icon"
              onClick={() => onChange(faq.filter((_, i) => i !== index))}
              aria-label={t('ai.onboarding.faqRemove', { n: index + 1 })}
              data-testid="ai-onboarding-faq-remove"
            >
              <Trash2 aria-hidden />
            </Button>
          </div>
          <FormField label={t('ai.onboarding.question')}>
            <Input value={item.question} maxLength={500} onChange={(event) => set(index, { question: event.target.value })} data-testid="ai-onboarding-faq-question" />
          </FormField>
          <FormField label={t('ai.onboarding.answer')}>
            <Textarea rows={2} value={item.answer} maxLength={2000} onChange={(event) => set(index, { answer: event.target.value })} data-testid="ai-onboarding-faq-answer" />
          </FormField>
        </div>
      ))}
      <div>
        <Button variant="outline" size="sm" onClick={() => onChange([...faq, { question: '', answer: '' }])} data-testid="ai-onboarding-faq-add">
          <Plus aria-hidden />
          {t('ai.onboarding.faqAdd')}
        </Button>
      </div>
    </div>
  )
}

function Wizard({ data, canManage }: { data: Onboarding; canManage: boolean }) {
  const t = useT()
  const [step, setStep] = useState(Math.min(Math.max(data.currentStep, 0), LAST))
  const [form, setForm] = useState(() => toForm(data))
  const save = useSaveOnboarding(data.instanceId)
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((old) => ({ ...old, [key]: value }))

  const next = () =>
    save.mutate({ ...stepAnswers(step, form), currentStep: step + 1 }, { onSuccess: () => setStep(step + 1) })

  let body: ReactNode
  switch (step) {
    case 0:
      body = (
        <>
          <FormField label={t('ai.onboarding.businessName')}>
            <Input value={form.businessName} maxLength={200} onChange={(e) => set('businessName', e.target.value)} data-testid="ai-onboarding-business-name" />
          </FormField>
          <FormField label={t('ai.onboarding.businessType')} hint={t('ai.onboarding.businessTypeHint')}>
            <Input value={form.businessType} maxLength={60} onChange={(e) => set('businessType', e.target.value)} data-testid="ai-onboarding-business-type" />
          </FormField>
          <FormField label={t('ai.onboarding.businessDescription')}>
            <Textarea rows={4} value={form.businessDescription} maxLength={2000} onChange={(e) => set('businessDescription', e.target.value)} data-testid="ai-onboarding-business-description" />
          </FormField>
        </>
      )
      break
    case 1:
      body = (
        <>
          <FormField label={t('ai.onboarding.audience')}>
            <Textarea rows={3} value={form.targetAudience} maxLength={1000} onChange={(e) => set('targetAudience', e.target.value)} data-testid="ai-onboarding-audience" />
          </FormField>
          <FormField label={t('ai.onboarding.tone')}>
            <Select value={form.tone} onChange={(e) => set('tone', e.target.value as Tone)} data-testid="ai-onboarding-tone">
              {TONES.map((tone) => (
                <option key={tone} value={tone}>
                  {t(TONE_KEYS[tone])}
                </option>
              ))}
            </Select>
          </FormField>
        </>
      )
      break
    case 2:
      body = (
        <>
          <FormField label={t('ai.onboarding.products')} hint={t('ai.onboarding.onePerLine')}>
            <Textarea rows={5} value={form.mainProducts} onChange={(e) => set('mainProducts', e.target.value)} data-testid="ai-onboarding-products" />
          </FormField>
          <FormField label={t('ai.onboarding.promotions')}>
            <Textarea rows={3} value={form.promotions} maxLength={2000} onChange={(e) => set('promotions', e.target.value)} data-testid="ai-onboarding-promotions" />
          </FormField>
        </>
      )
      break
    case 3:
      body = <FaqEditor faq={form.faq} onChange={(faq) => set('faq', faq)} />
      break
    case 4:
      body = (
        <>
          <FormField label={t('ai.onboarding.restrictions')} hint={t('ai.onboarding.restrictionsHint')}>
            <Textarea rows={4} value={form.restrictions} onChange={(e) => set('restrictions', e.target.value)} data-testid="ai-onboarding-restrictions" />
          </FormField>
          <div className="grid gap-3 sm:grid-cols-3">
            <FormField label={t('ai.onboarding.start')}>
              <Input type="time" value={form.start} onChange={(e) => set('start', e.target.value)} data-testid="ai-onboarding-start" />
            </FormField>
            <FormField label={t('ai.onboarding.end')}>
              <Input type="time" value={form.end} onChange={(e) => set('end', e.target.value)} data-testid="ai-onboarding-end" />
            </FormField>
            <FormField label={t('ai.onboarding.timezone')}>
              <Input value={form.timezone} maxLength={64} onChange={(e) => set('timezone', e.target.value)} data-testid="ai-onboarding-timezone" />
            </FormField>
          </div>
          <fieldset className="grid gap-2">
            <legend className="mb-1 text-sm font-medium text-slate-800">{t('ai.onboarding.workDays')}</legend>
            <div className="flex flex-wrap gap-3">
              {DAY_KEYS.map((key, day) => (
                <Label key={key} className="flex items-center gap-1.5 font-normal">
                  <Checkbox
                    checked={form.workDays.includes(day)}
                    onChange={(e) =>
                      set('workDays', e.target.checked ? [...form.workDays, day].sort() : form.workDays.filter((d) => d !== day))
                    }
                    data-testid={`ai-onboarding-day-${day}`}
                  />
                  {t(key)}
                </Label>
              ))}
            </div>
          </fieldset>
        </>
      )
      break
    default:
      body = <Review instanceId={data.instanceId} form={form} />
  }

  return (
    <Card data-testid="ai-onboarding" data-step={step}>
      <CardHeader>
        <CardTitle>{t('ai.onboarding.stepTitle', { n: step + 1, total: STEP_KEYS.length, name: t(STEP_KEYS[step]) })}</CardTitle>
        <CardDescription>{t('ai.onboarding.description')}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-5">
        <Steps current={step} />
        <fieldset className="grid gap-4" disabled={!canManage}>
          {body}
        </fieldset>
        {save.isError && <Alert>{errorMessage(save.error, t)}</Alert>}
        <div className="flex flex-wrap gap-2 border-t border-slate-100 pt-4">
          <Button variant="outline" disabled={step === 0 || save.isPending} onClick={() => setStep(step - 1)} data-testid="ai-onboarding-back">
            {t('common.previous')}
          </Button>
          {step < LAST && (
            <Button loading={save.isPending} disabled={!canManage} onClick={next} data-testid="ai-onboarding-next">
              {t('common.next')}
            </Button>
          )}
        </div>
      </CardContent>
    </Card>
  )
}

export function OnboardingWizardPage({ instanceId }: { instanceId: string }) {
  const t = useT()
  const { canManage } = useAiPermissions()
  const status = useAiStatus()
  const instance = useAiInstance(instanceId)
  const onboarding = useOnboarding(instanceId)
  return (
    <div className="grid gap-4" data-testid="ai-onboarding-page">
      <div className="grid gap-1">
        <BackToAiSettings />
        <h2 className="text-lg font-semibold text-slate-900">{t('ai.onboarding.pageTitle', { name: instance.data?.name ?? '…' })}</h2>
      </div>
      {status.data && <AiDisabledNotice status={status.data} />}
      {!canManage && <Alert tone="info">{t('ai.instances.readOnly')}</Alert>}
      {onboarding.data?.isComplete && <Alert tone="info">{t('ai.onboarding.completeNotice')}</Alert>}
      {onboarding.isPending ? (
        <Spinner label={t('common.loading')} />
      ) : onboarding.isError ? (
        <Alert>{errorMessage(onboarding.error, t)}</Alert>
      ) : (
        <Wizard data={onboarding.data} canManage={canManage} />
      )}
    </div>
  )
}
