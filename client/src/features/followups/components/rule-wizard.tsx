import { useRef, useState, type ReactNode } from 'react'
import { Check, ChevronLeft, ChevronRight } from 'lucide-react'
import { VariableChips } from '@/components/variable-chips'
import { insertAtCaret } from '@/lib/insert-at-caret'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Checkbox } from '@/components/ui/checkbox'
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Select } from '@/components/ui/select'
import { Textarea } from '@/components/ui/textarea'
import { useTags } from '@/features/contacts/api/tags'
import { useFunnels } from '@/features/funnels/api/funnels'
import { VARIABLES } from '@/features/quick-replies/variables'
import { useInstances } from '@/features/whatsapp/api/instances'
import { ApiError } from '@/lib/api-client'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { cn } from '@/lib/utils'
import { useSaveRule } from '../api/followups'
import { ACTION_TYPES, DAYS, SENTIMENTS, TRIGGER_TYPES, TRIGGER_UNITS, type Rule } from '../api/types'
import {
  EMPTY_FORM,
  formOf,
  inputOf,
  serverFieldErrors,
  stepOf,
  STEPS,
  validateStep,
  type FieldErrors,
  type RuleForm,
  type Step,
} from '../rule-form'
import { ChoiceList } from './choice-list'

type Props = {
  /** The rule to edit; a new one when absent. */
  rule?: Rule
  open: boolean
  onOpenChange: (open: boolean) => void
}

/** Create or edit a rule in steps: trigger → message → conditions → timing → post-actions → review. */
export function RuleWizard({ rule, open, onOpenChange }: Props) {
  const t = useT()
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent closeLabel={t('common.close')} className="max-w-3xl" data-testid="rule-wizard">
        <DialogHeader>
          <DialogTitle>{t(rule ? 'followups.wizard.editTitle' : 'followups.wizard.createTitle')}</DialogTitle>
          <DialogDescription>{t('followups.wizard.description')}</DialogDescription>
        </DialogHeader>
        {open && <WizardBody key={rule?.id ?? 'new'} rule={rule} onDone={() => onOpenChange(false)} />}
      </DialogContent>
    </Dialog>
  )
}

function useReferenceData() {
  const funnels = useFunnels()
  const tags = useTags()
  const instances = useInstances()
  const stageOptions = (funnels.data ?? []).flatMap((funnel) =>
    funnel.stages.map((stage) => ({ value: stage.id, label: `${funnel.name} › ${stage.name}`, color: stage.color })),
  )
  const tagOptions = (tags.data ?? []).map((tag) => ({ value: tag.id, label: tag.name, color: tag.color }))
  return { funnels: funnels.data ?? [], stageOptions, tagOptions, instances: instances.data ?? [] }
}

function WizardBody({ rule, onDone }: { rule?: Rule; onDone: () => void }) {
  const t = useT()
  const [form, setForm] = useState<RuleForm>(rule ? formOf(rule) : EMPTY_FORM)
  const [step, setStep] = useState<Step>('trigger')
  const [errors, setErrors] = useState<FieldErrors>({})
  const save = useSaveRule()
  const refs = useReferenceData()
  const index = STEPS.indexOf(step)

  const change = <K extends keyof RuleForm>(field: K, value: RuleForm[K]) => setForm((current) => ({ ...current, [field]: value }))

  function check(target: Step): boolean {
    const found = validateStep(target, form)
    const messages = Object.fromEntries(Object.entries(found).map(([field, key]) => [field, t(key!)]))
    setErrors(messages)
    return Object.keys(messages).length === 0
  }

  function next() {
    if (check(step)) setStep(STEPS[index + 1])
  }

  function submit() {
    // Every step again: a jump back may have left one unchecked.
    for (const target of STEPS) {
      if (!check(target)) {
        setStep(target)
        return
      }
    }
    save.mutate(
      { id: rule?.id, input: inputOf(form) },
      {
        onSuccess: () => {
          toast(t(rule ? 'followups.wizard.updated' : 'followups.wizard.created'))
          onDone()
        },
        onError: (error) => {
          const found = serverFieldErrors(error)
          setErrors(found)
          const first = Object.keys(found)
            .map(stepOf)
            .find((target) => target !== null)
          if (first) setStep(first)
        },
      },
    )
  }

  // What the server refused that no field of the current step shows.
  const unplaced = save.error
    ? Object.entries(errors).filter(([field]) => stepOf(field) === null)
    : []
  const banner =
    save.error && (!(save.error instanceof ApiError) || Object.keys(errors).length === 0 || unplaced.length > 0)
      ? unplaced.length > 0
        ? unplaced.map(([, message]) => message).join(' ')
        : errorMessage(save.error, t)
      : null

  const props = { form, change, errors, refs }
  return (
    <div className="grid gap-5" data-testid="rule-wizard-body" data-step={step}>
      <ol className="flex flex-wrap gap-1 text-xs" aria-label={t('followups.wizard.steps')}>
        {STEPS.map((item, position) => (
          <li
            key={item}
            aria-current={item === step ? 'step' : undefined}
            className={cn(
              'flex items-center gap-1 rounded-full px-2.5 py-1 font-medium',
              item === step ? 'bg-emerald-700 text-white' : position < index ? 'bg-emerald-50 text-emerald-800' : 'bg-slate-100 text-slate-500',
            )}
          >
            {position < index && <Check className="size-3" aria-hidden />}
            {position + 1}. {t(`followups.step.${item}`)}
          </li>
        ))}
      </ol>
      {banner && <Alert data-testid="rule-wizard-error">{banner}</Alert>}
      <div className="grid gap-4" data-testid={`rule-step-${step}`}>
        {step === 'trigger' && <TriggerStep {...props} />}
        {step === 'message' && <MessageStep {...props} />}
        {step === 'conditions' && <ConditionsStep {...props} />}
        {step === 'timing' && <TimingStep {...props} />}
        {step === 'post' && <PostStep {...props} />}
        {step === 'review' && <ReviewStep {...props} />}
      </div>
      <div className="flex justify-between gap-2 border-t border-slate-100 pt-4">
        <Button variant="outline" disabled={index === 0} onClick={() => setStep(STEPS[index - 1])} data-testid="rule-back">
          <ChevronLeft aria-hidden />
          {t('common.previous')}
        </Button>
        {step === 'review' ? (
          <Button loading={save.isPending} onClick={submit} data-testid="rule-save">
            {t('common.save')}
          </Button>
        ) : (
          <Button onClick={next} data-testid="rule-next">
            {t('common.next')}
            <ChevronRight aria-hidden />
          </Button>
        )}
      </div>
    </div>
  )
}

type StepProps = {
  form: RuleForm
  change: <K extends keyof RuleForm>(field: K, value: RuleForm[K]) => void
  errors: FieldErrors
  refs: ReturnType<typeof useReferenceData>
}

function CheckboxField({ label, checked, onChange, testId, hint }: { label: string; checked: boolean; onChange: (checked: boolean) => void; testId: string; hint?: string }) {
  return (
    <label className="flex items-start gap-2 text-sm text-slate-800">
      <Checkbox className="mt-0.5" checked={checked} onChange={(event) => onChange(event.target.checked)} data-testid={testId} />
      <span>
        {label}
        {hint && <span className="block text-xs text-slate-500">{hint}</span>}
      </span>
    </label>
  )
}

function TriggerStep({ form, change, errors, refs }: StepProps) {
  const t = useT()
  return (
    <>
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField label={t('followups.field.name')} error={errors.name}>
          <Input value={form.name} maxLength={120} onChange={(event) => change('name', event.target.value)} data-testid="rule-name" />
        </FormField>
        <FormField label={t('followups.field.triggerType')} error={errors.triggerType} hint={t(`followups.triggerHint.${form.triggerType}`)}>
          <Select
            value={form.triggerType}
            onChange={(event) => change('triggerType', event.target.value as RuleForm['triggerType'])}
            data-testid="rule-trigger-type"
          >
            {TRIGGER_TYPES.map((type) => (
              <option key={type} value={type}>
                {t(`followups.trigger.${type}`)}
              </option>
            ))}
          </Select>
        </FormField>
      </div>
      <FormField label={t('followups.field.description')} error={errors.description}>
        <Input value={form.description} maxLength={1000} onChange={(event) => change('description', event.target.value)} data-testid="rule-description" />
      </FormField>
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField label={t('followups.field.delay')} error={errors.triggerValue} hint={t('followups.field.delayHint')}>
          <Input
            type="number"
            min={0}
            inputMode="numeric"
            value={form.triggerValue}
            onChange={(event) => change('triggerValue', event.target.value)}
            data-testid="rule-trigger-value"
          />
        </FormField>
        <FormField label={t('followups.field.unit')} error={errors.triggerUnit}>
          <Select value={form.triggerUnit} onChange={(event) => change('triggerUnit', event.target.value as RuleForm['triggerUnit'])} data-testid="rule-trigger-unit">
            {TRIGGER_UNITS.map((unit) => (
              <option key={unit} value={unit}>
                {t(`followups.unit.${unit}`)}
              </option>
            ))}
          </Select>
        </FormField>
      </div>
      {form.triggerType === 'STAGE_ENTERED' && (
        <ChoiceList
          legend={t('followups.field.triggerStages')}
          options={refs.stageOptions}
          value={form.stageIds}
          onChange={(value) => change('stageIds', value)}
          error={errors['triggerConfig.stageIds']}
          empty={t('followups.noStages')}
          testId="rule-trigger-stages"
        />
      )}
      {(form.triggerType === 'STAGE_CHANGED' || form.triggerType === 'DEAL_CREATED') && (
        <FormField label={t('followups.field.funnel')} error={errors['triggerConfig.funnelId']}>
          <Select value={form.funnelId} onChange={(event) => change('funnelId', event.target.value)} data-testid="rule-trigger-funnel">
            <option value="">{t('followups.anyFunnel')}</option>
            {refs.funnels.map((funnel) => (
              <option key={funnel.id} value={funnel.id}>
                {funnel.name}
              </option>
            ))}
          </Select>
        </FormField>
      )}
      {form.triggerType === 'TAG_ADDED' && (
        <ChoiceList
          legend={t('followups.field.triggerTags')}
          hint={t('followups.field.triggerTagsHint')}
          options={refs.tagOptions}
          value={form.tagIds}
          onChange={(value) => change('tagIds', value)}
          error={errors['triggerConfig.tagIds']}
          empty={t('followups.noTags')}
          testId="rule-trigger-tags"
        />
      )}
      {form.triggerType === 'SENTIMENT_DETECTED' && (
        <ChoiceList
          legend={t('followups.field.sentiments')}
          hint={t('followups.field.sentimentsHint')}
          options={SENTIMENTS.map((sentiment) => ({ value: sentiment, label: t(`followups.sentiment.${sentiment}`) }))}
          value={form.sentiments}
          onChange={(value) => change('sentiments', value as RuleForm['sentiments'])}
          error={errors['triggerConfig.sentiments']}
          testId="rule-trigger-sentiments"
        />
      )}
    </>
  )
}

function MessageStep({ form, change, errors }: StepProps) {
  const t = useT()
  const textarea = useRef<HTMLTextAreaElement>(null)

  const insert = (token: string) => insertAtCaret(textarea.current, form.message, token, (next) => change('message', next))

  return (
    <>
      <FormField label={t('followups.field.actionType')} error={errors.actionType}>
        <Select value={form.actionType} onChange={(event) => change('actionType', event.target.value as RuleForm['actionType'])} data-testid="rule-action-type">
          {ACTION_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`followups.action.${type}`)}
            </option>
          ))}
        </Select>
      </FormField>
      {form.actionType === 'TEMPLATE' ? (
        <>
          <FormField label={t('followups.field.message')} error={errors.message}>
            <Textarea ref={textarea} rows={5} maxLength={4096} value={form.message} onChange={(event) => change('message', event.target.value)} data-testid="rule-message" />
          </FormField>
          <div className="grid gap-1.5">
            <p className="text-sm font-medium text-slate-700">{t('quickReplies.variables')}</p>
            <VariableChips variables={VARIABLES} onInsert={insert} testId="rule-variable" />
          </div>
        </>
      ) : (
        <>
          <div className="grid gap-4 sm:grid-cols-2">
            <FormField label={t('followups.field.tone')} error={errors['actionConfig.tone']} hint={t('followups.field.toneHint')}>
              <Input value={form.tone} maxLength={60} onChange={(event) => change('tone', event.target.value)} data-testid="rule-tone" />
            </FormField>
            <FormField label={t('followups.field.maxTokens')} error={errors['actionConfig.maxTokens']}>
              <Input type="number" min={20} max={1000} value={form.maxTokens} onChange={(event) => change('maxTokens', event.target.value)} data-testid="rule-max-tokens" />
            </FormField>
          </div>
          <FormField label={t('followups.field.instructions')} error={errors['actionConfig.customInstructions']}>
            <Textarea rows={4} maxLength={2000} value={form.customInstructions} onChange={(event) => change('customInstructions', event.target.value)} data-testid="rule-instructions" />
          </FormField>
          <CheckboxField
            label={t('followups.field.useContext')}
            checked={form.useConversationContext}
            onChange={(value) => change('useConversationContext', value)}
            testId="rule-use-context"
          />
        </>
      )}
    </>
  )
}

function ConditionsStep({ form, change, errors, refs }: StepProps) {
  const t = useT()
  return (
    <>
      <FormField label={t('followups.field.instance')} error={errors.instanceId}>
        <Select value={form.instanceId} onChange={(event) => change('instanceId', event.target.value)} data-testid="rule-instance">
          <option value="">{t('followups.anyInstance')}</option>
          {refs.instances.map((instance) => (
            <option key={instance.id} value={instance.id}>
              {instance.instanceName}
            </option>
          ))}
        </Select>
      </FormField>
      <ChoiceList
        legend={t('followups.field.includeStages')}
        hint={t('followups.field.includeStagesHint')}
        options={refs.stageOptions}
        value={form.includeStageIds}
        onChange={(value) => change('includeStageIds', value)}
        error={errors['conditions.includeStageIds']}
        empty={t('followups.noStages')}
        testId="rule-include-stages"
      />
      <ChoiceList
        legend={t('followups.field.excludeTags')}
        hint={t('followups.field.excludeTagsHint')}
        options={refs.tagOptions}
        value={form.excludeTagIds}
        onChange={(value) => change('excludeTagIds', value)}
        error={errors['conditions.excludeTagIds']}
        empty={t('followups.noTags')}
        testId="rule-exclude-tags"
      />
    </>
  )
}

function NumberField({ label, field, form, change, errors, hint, testId }: StepProps & { label: string; field: keyof RuleForm; hint?: string; testId: string }) {
  return (
    <FormField label={label} error={errors[field]} hint={hint}>
      <Input
        type="number"
        min={0}
        inputMode="numeric"
        value={form[field] as string}
        onChange={(event) => change(field, event.target.value as never)}
        data-testid={testId}
      />
    </FormField>
  )
}

function TimingStep(props: StepProps) {
  const t = useT()
  const { form, change, errors } = props
  return (
    <>
      <CheckboxField
        label={t('followups.field.respectHours')}
        hint={t('followups.field.respectHoursHint')}
        checked={form.respectBusinessHours}
        onChange={(value) => change('respectBusinessHours', value)}
        testId="rule-respect-hours"
      />
      {form.respectBusinessHours && (
        <>
          <div className="grid gap-4 sm:grid-cols-2">
            <FormField label={t('followups.field.hoursStart')} error={errors.businessHoursStart}>
              <Input type="time" value={form.businessHoursStart} onChange={(event) => change('businessHoursStart', event.target.value)} data-testid="rule-hours-start" />
            </FormField>
            <FormField label={t('followups.field.hoursEnd')} error={errors.businessHoursEnd}>
              <Input type="time" value={form.businessHoursEnd} onChange={(event) => change('businessHoursEnd', event.target.value)} data-testid="rule-hours-end" />
            </FormField>
          </div>
          <ChoiceList
            legend={t('followups.field.days')}
            options={DAYS.map((day) => ({ value: day, label: t(`followups.day.${day}`) }))}
            value={form.allowedDays}
            onChange={(value) => change('allowedDays', DAYS.filter((day) => value.includes(day)))}
            error={errors.allowedDays}
            testId="rule-days"
          />
        </>
      )}
      <div className="grid gap-4 sm:grid-cols-3">
        <NumberField {...props} label={t('followups.field.maxPerContact')} field="maxFollowupsPerContact" hint={t('followups.field.maxPerContactHint')} testId="rule-max-per-contact" />
        <NumberField {...props} label={t('followups.field.minInterval')} field="minIntervalHours" hint={t('followups.field.minIntervalHint')} testId="rule-min-interval" />
        <NumberField {...props} label={t('followups.field.sinceResponse')} field="minHoursSinceResponse" hint={t('followups.field.sinceResponseHint')} testId="rule-since-response" />
        <NumberField {...props} label={t('followups.field.priority')} field="priority" hint={t('followups.field.priorityHint')} testId="rule-priority" />
        <NumberField {...props} label={t('followups.field.maxAttempts')} field="maxAttempts" hint={t('followups.field.maxAttemptsHint')} testId="rule-max-attempts" />
      </div>
      <CheckboxField
        label={t('followups.field.aiValidation')}
        hint={t('followups.field.aiValidationHint')}
        checked={form.aiValidationEnabled}
        onChange={(value) => change('aiValidationEnabled', value)}
        testId="rule-ai-validation"
      />
      {form.aiValidationEnabled && (
        <FormField label={t('followups.field.aiValidationPrompt')} error={errors.aiValidationPrompt}>
          <Textarea rows={3} maxLength={2000} value={form.aiValidationPrompt} onChange={(event) => change('aiValidationPrompt', event.target.value)} data-testid="rule-ai-validation-prompt" />
        </FormField>
      )}
    </>
  )
}

function PostStep({ form, change, errors, refs }: StepProps) {
  const t = useT()
  return (
    <>
      <ChoiceList
        legend={t('followups.field.addTags')}
        options={refs.tagOptions}
        value={form.addTagIds}
        onChange={(value) => change('addTagIds', value)}
        error={errors['postActions.addTagIds']}
        empty={t('followups.noTags')}
        testId="rule-add-tags"
      />
      <FormField label={t('followups.field.moveToStage')} error={errors['postActions.moveToStageId']}>
        <Select value={form.moveToStageId} onChange={(event) => change('moveToStageId', event.target.value)} data-testid="rule-move-stage">
          <option value="">{t('followups.noMove')}</option>
          {refs.stageOptions.map((stage) => (
            <option key={stage.value} value={stage.value}>
              {stage.label}
            </option>
          ))}
        </Select>
      </FormField>
    </>
  )
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-slate-500">{label}</dt>
      <dd className="break-words text-slate-900">{children}</dd>
    </>
  )
}

function ReviewStep({ form, refs }: StepProps) {
  const t = useT()
  const stageName = (id: string) => refs.stageOptions.find((stage) => stage.value === id)?.label ?? id
  const tagName = (id: string) => refs.tagOptions.find((tag) => tag.value === id)?.label ?? id
  const list = (ids: string[], name: (id: string) => string) => (ids.length ? ids.map(name).join(', ') : '—')
  const instance = refs.instances.find((item) => item.id === form.instanceId)?.instanceName
  return (
    <dl className="grid grid-cols-[minmax(8rem,auto)_1fr] gap-x-4 gap-y-2 text-sm" data-testid="rule-review">
      <Row label={t('followups.field.name')}>{form.name}</Row>
      <Row label={t('followups.field.triggerType')}>
        {t(`followups.trigger.${form.triggerType}`)} · {form.triggerValue} {t(`followups.unit.${form.triggerUnit}`)}
      </Row>
      {form.triggerType === 'STAGE_ENTERED' && <Row label={t('followups.field.triggerStages')}>{list(form.stageIds, stageName)}</Row>}
      {form.triggerType === 'TAG_ADDED' && <Row label={t('followups.field.triggerTags')}>{list(form.tagIds, tagName)}</Row>}
      <Row label={t('followups.field.actionType')}>{t(`followups.action.${form.actionType}`)}</Row>
      {form.actionType === 'TEMPLATE' && (
        <Row label={t('followups.field.message')}>
          <span className="whitespace-pre-wrap">{form.message}</span>
        </Row>
      )}
      <Row label={t('followups.field.instance')}>{instance ?? t('followups.anyInstance')}</Row>
      <Row label={t('followups.field.includeStages')}>{list(form.includeStageIds, stageName)}</Row>
      <Row label={t('followups.field.excludeTags')}>{list(form.excludeTagIds, tagName)}</Row>
      <Row label={t('followups.field.respectHours')}>
        {form.respectBusinessHours
          ? `${form.businessHoursStart}–${form.businessHoursEnd} · ${form.allowedDays.map((day) => t(`followups.day.${day}`)).join(', ')}`
          : t('followups.anyTime')}
      </Row>
      <Row label={t('followups.field.limits')}>
        {t('followups.limitsSummary', {
          max: form.maxFollowupsPerContact,
          interval: form.minIntervalHours,
          attempts: form.maxAttempts,
          priority: form.priority,
        })}
      </Row>
      <Row label={t('followups.field.aiValidation')}>{form.aiValidationEnabled ? t('followups.yes') : t('followups.no')}</Row>
      <Row label={t('followups.field.addTags')}>{list(form.addTagIds, tagName)}</Row>
      <Row label={t('followups.field.moveToStage')}>{form.moveToStageId ? stageName(form.moveToStageId) : t('followups.noMove')}</Row>
    </dl>
  )
}
