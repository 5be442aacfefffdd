import { ApiError } from '@/lib/api-client'
import type { MessageKey } from '@/lib/i18n'
import type { ActionType, Day, Rule, RuleInput, Sentiment, TriggerType, TriggerUnit } from './api/types'

/** The wizard's state: numbers stay as typed (strings) until the request is built. */
export type RuleForm = {
  name: string
  description: string
  triggerType: TriggerType
  triggerValue: string
  triggerUnit: TriggerUnit
  stageIds: string[]
  tagIds: string[]
  funnelId: string
  sentiments: Sentiment[]
  actionType: ActionType
  message: string
  tone: string
  maxTokens: string
  customInstructions: string
  useConversationContext: boolean
  instanceId: string
  includeStageIds: string[]
  excludeTagIds: string[]
  respectBusinessHours: boolean
  businessHoursStart: string
  businessHoursEnd: string
  allowedDays: Day[]
  maxFollowupsPerContact: string
  minIntervalHours: string
  minHoursSinceResponse: string
  priority: string
  maxAttempts: string
  aiValidationEnabled: boolean
  aiValidationPrompt: string
  addTagIds: string[]
  moveToStageId: string
}

// The server's defaults (server/evoai/followups/rules.py DEFAULTS), so a new rule looks as it will be stored.
export const EMPTY_FORM: RuleForm = {
  name: '',
  description: '',
  triggerType: 'NO_RESPONSE',
  triggerValue: '24',
  triggerUnit: 'hours',
  stageIds: [],
  tagIds: [],
  funnelId: '',
  sentiments: [],
  actionType: 'TEMPLATE',
  message: '',
  tone: '',
  maxTokens: '200',
  customInstructions: '',
  useConversationContext: true,
  instanceId: '',
  includeStageIds: [],
  excludeTagIds: [],
  respectBusinessHours: true,
  businessHoursStart: '09:00',
  businessHoursEnd: '18:00',
  allowedDays: ['mon', 'tue', 'wed', 'thu', 'fri'],
  maxFollowupsPerContact: '3',
  minIntervalHours: '24',
  minHoursSinceResponse: '',
  priority: '0',
  maxAttempts: '3',
  aiValidationEnabled: false,
  aiValidationPrompt: '',
  addTagIds: [],
  moveToStageId: '',
}

export function formOf(rule: Rule): RuleForm {
  return {
    name: rule.name,
    description: rule.description ?? '',
    triggerType: rule.triggerType,
    triggerValue: String(rule.triggerValue),
    triggerUnit: rule.triggerUnit,
    stageIds: rule.triggerConfig.stageIds ?? [],
    tagIds: rule.triggerConfig.tagIds ?? [],
    funnelId: rule.triggerConfig.funnelId ?? '',
    sentiments: rule.triggerConfig.sentiments ?? [],
    actionType: rule.actionType,
    message: rule.message ?? '',
    tone: rule.actionConfig.tone ?? '',
    maxTokens: String(rule.actionConfig.maxTokens ?? 200),
    customInstructions: rule.actionConfig.customInstructions ?? '',
    useConversationContext: rule.actionConfig.useConversationContext ?? true,
    instanceId: rule.instanceId ?? '',
    includeStageIds: rule.conditions.includeStageIds ?? [],
    excludeTagIds: rule.conditions.excludeTagIds ?? [],
    respectBusinessHours: rule.respectBusinessHours,
    businessHoursStart: rule.businessHoursStart,
    businessHoursEnd: rule.businessHoursEnd,
    allowedDays: rule.allowedDays,
    maxFollowupsPerContact: String(rule.maxFollowupsPerContact),
    minIntervalHours: String(rule.minIntervalHours),
    minHoursSinceResponse: rule.minHoursSinceResponse === null ? '' : String(rule.minHoursSinceResponse),
    priority: String(rule.priority),
    maxAttempts: String(rule.maxAttempts),
    aiValidationEnabled: rule.aiValidationEnabled,
    aiValidationPrompt: rule.aiValidationPrompt ?? '',
    addTagIds: rule.postActions.addTagIds ?? [],
    moveToStageId: rule.postActions.moveToStageId ?? '',
  }
}

const orNull = (value: string) => (value.trim() ? value.trim() : null)

/** The request body: every field, so an edit replaces what the wizard shows (nothing unknown: the server refuses it). */
export function inputOf(form: RuleForm): RuleInput {
  const usesStages = form.triggerType === 'STAGE_ENTERED'
  const usesFunnel = form.triggerType === 'STAGE_CHANGED' || form.triggerType === 'DEAL_CREATED'
  return {
    name: form.name.trim(),
    description: orNull(form.description),
    instanceId: form.instanceId || null,
    triggerType: form.triggerType,
    triggerValue: Number(form.triggerValue),
    triggerUnit: form.triggerUnit,
    triggerConfig: {
      stageIds: usesStages ? form.stageIds : [],
      tagIds: form.triggerType === 'TAG_ADDED' ? form.tagIds : [],
      funnelId: usesFunnel && form.funnelId ? form.funnelId : null,
      sentiments: form.triggerType === 'SENTIMENT_DETECTED' ? form.sentiments : [],
    },
    actionType: form.actionType,
    message: form.actionType === 'TEMPLATE' ? form.message : orNull(form.message),
    actionConfig: {
      tone: orNull(form.tone),
      maxTokens: Number(form.maxTokens),
      customInstructions: orNull(form.customInstructions),
      useConversationContext: form.useConversationContext,
    },
    conditions: { includeStageIds: form.includeStageIds, excludeTagIds: form.excludeTagIds },
    postActions: { addTagIds: form.addTagIds, moveToStageId: form.moveToStageId || null },
    maxFollowupsPerContact: Number(form.maxFollowupsPerContact),
    minIntervalHours: Number(form.minIntervalHours),
    minHoursSinceResponse: form.minHoursSinceResponse.trim() === '' ? null : Number(form.minHoursSinceResponse),
    respectBusinessHours: form.respectBusinessHours,
    businessHoursStart: form.businessHoursStart,
    businessHoursEnd: form.businessHoursEnd,
    allowedDays: form.allowedDays,
    aiValidationEnabled: form.aiValidationEnabled,
    aiValidationPrompt: orNull(form.aiValidationPrompt),
    priority: Number(form.priority),
    maxAttempts: Number(form.maxAttempts),
  }
}

export const STEPS = ['trigger', 'message', 'conditions', 'timing', 'post', 'review'] as const
export type Step = (typeof STEPS)[number]

/** Which step shows each field (server paths, camelCase), to send the person back to a refused one. */
const STEP_FIELDS: Record<Exclude<Step, 'review'>, string[]> = {
  trigger: ['name', 'description', 'triggerType', 'triggerValue', 'triggerUnit', 'triggerConfig.stageIds', 'triggerConfig.tagIds', 'triggerConfig.funnelId', 'triggerConfig.sentiments', 'triggerConfig'],
  message: ['actionType', 'message', 'actionConfig.tone', 'actionConfig.maxTokens', 'actionConfig.customInstructions', 'actionConfig.useConversationContext', 'actionConfig'],
  conditions: ['instanceId', 'conditions.includeStageIds', 'conditions.excludeTagIds', 'conditions'],
  timing: ['respectBusinessHours', 'businessHoursStart', 'businessHoursEnd', 'allowedDays', 'maxFollowupsPerContact', 'minIntervalHours', 'minHoursSinceResponse', 'priority', 'maxAttempts', 'aiValidationEnabled', 'aiValidationPrompt'],
  post: ['postActions.addTagIds', 'postActions.moveToStageId', 'postActions'],
}

export function stepOf(field: string): Step | null {
  for (const [step, fields] of Object.entries(STEP_FIELDS)) if (fields.includes(field)) return step as Step
  return null
}

export type FieldErrors = Record<string, string>
type Check = [field: string, key: MessageKey | null]

const isInt = (value: string, min: number, max: number) => {
  if (!/^\d+$/.test(value.trim())) return false
  const number = Number(value)
  return number >= min && number <= max
}
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/

/** The checks the server makes, per step, so most mistakes show before the request. */
export function validateStep(step: Step, form: RuleForm): Partial<Record<string, MessageKey>> {
  const checks: Check[] = []
  if (step === 'trigger') {
    const name = form.name.trim()
    checks.push(['name', !name ? 'validation.required' : name.length > 120 ? 'followups.error.tooLong' : null])
    checks.push([
      'triggerValue',
      !isInt(form.triggerValue, 0, 129_600)
        ? 'followups.error.delayRange'
        : form.triggerType === 'NO_RESPONSE' && Number(form.triggerValue) === 0
          ? 'followups.error.delayZero'
          : null,
    ])
    if (form.triggerType === 'STAGE_ENTERED') {
      checks.push(['triggerConfig.stageIds', form.stageIds.length === 0 ? 'followups.error.stagesRequired' : null])
    }
  }
  if (step === 'message') {
    if (form.actionType === 'TEMPLATE') checks.push(['message', form.message.trim() ? null : 'followups.error.messageRequired'])
    else checks.push(['actionConfig.maxTokens', isInt(form.maxTokens, 20, 1000) ? null : 'followups.error.maxTokens'])
  }
  if (step === 'timing') {
    checks.push(['businessHoursStart', HHMM.test(form.businessHoursStart) ? null : 'followups.error.hhmm'])
    checks.push(['businessHoursEnd', HHMM.test(form.businessHoursEnd) ? null : 'followups.error.hhmm'])
    checks.push(['allowedDays', form.allowedDays.length > 0 ? null : 'followups.error.daysRequired'])
    checks.push(['maxFollowupsPerContact', isInt(form.maxFollowupsPerContact, 1, 20) ? null : 'followups.error.range1to20'])
    checks.push(['minIntervalHours', isInt(form.minIntervalHours, 0, 720) ? null : 'followups.error.range0to720'])
    checks.push([
      'minHoursSinceResponse',
      form.minHoursSinceResponse.trim() === '' || isInt(form.minHoursSinceResponse, 0, 720) ? null : 'followups.error.range0to720',
    ])
    checks.push(['priority', isInt(form.priority, 0, 100) ? null : 'followups.error.range0to100'])
    checks.push(['maxAttempts', isInt(form.maxAttempts, 1, 10) ? null : 'followups.error.range1to10'])
  }
  const errors: Partial<Record<string, MessageKey>> = {}
  for (const [field, key] of checks) if (key) errors[field] = key
  return errors
}

/** "triggerConfig.stageIds.0" → "triggerConfig.stageIds": list items are shown on their list. */
const normalise = (field: string) =>
  field
    .split('.')
    .filter((part) => !/^\d+$/.test(part))
    .join('.')

const PREFIXED = /^([A-Za-z][\w.]*): (.+)$/

/**
 * The server's refusal as errors per field. 400s carry `details[{field, message}]` (whole-body checks
 * come as field "body" with a message "field: …"); 422s carry `details[{field, code}]` and the message
 * "field: …" in `error`.
 */
export function serverFieldErrors(error: unknown): FieldErrors {
  if (!(error instanceof ApiError)) return {}
  const result: FieldErrors = {}
  const put = (field: string, message: string) => {
    const key = normalise(field)
    if (key && !(key in result)) result[key] = message
  }
  const prefixed = PREFIXED.exec(error.message.replace(/^Dados inválidos — /, ''))
  for (const detail of error.details) {
    const message = (detail.message as string | undefined) ?? (prefixed ? prefixed[2] : error.message)
    const inner = PREFIXED.exec(message)
    if ((detail.field === 'body' || !detail.field) && inner) put(inner[1], inner[2])
    else put(detail.field, inner && normalise(inner[1]) === normalise(detail.field) ? inner[2] : message)
  }
  if (error.details.length === 0 && prefixed && stepOf(normalise(prefixed[1]))) put(prefixed[1], prefixed[2])
  return result
}
