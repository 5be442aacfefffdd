import type { MessageKey } from '@/lib/i18n'
import type { NodeData, NodeKind, NodeSubtype } from './api/types'

// The client's copy of docs/api-flows.md's node table: kind, label, outputs (sourceHandle names)
// and the data fields the side form edits. GET /api/flows/node-types may narrow the palette; the
// forms and handles always come from here.

export const TIME_UNITS = ['seconds', 'minutes', 'hours', 'days'] as const
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const
export const MEDIA_TYPES = ['image', 'video', 'audio', 'document'] as const
export const KEYWORD_MATCHES = ['contains', 'exact'] as const
export const CONDITION_FIELDS = ['contact.tags', 'contact.name', 'contact.email', 'contact.stageId', 'message.text'] as const
export const CONDITION_OPERATORS = [
  'equals',
  'not_equals',
  'contains',
  'not_contains',
  'exists',
  'not_exists',
  'greater_than',
  'less_than',
] as const
/** Operators that take no value. */
export const UNARY_OPERATORS: readonly string[] = ['exists', 'not_exists']
export const SPLIT_MIN = 2
export const SPLIT_MAX = 5

/** The variables the server fills in messages (docs/api-flows.md, SEND_MESSAGE). */
export const FLOW_VARIABLES: { token: string; labelKey: MessageKey }[] = [
  { token: '{{contact.name}}', labelKey: 'flows.var.contactName' },
  { token: '{{contact.firstName}}', labelKey: 'flows.var.contactFirstName' },
  { token: '{{company.name}}', labelKey: 'flows.var.companyName' },
  { token: '{{trigger.}}', labelKey: 'flows.var.trigger' },
]

type Base = { key: string; labelKey: MessageKey; required?: boolean; hintKey?: MessageKey }
export type FieldSpec =
  | (Base & { kind: 'text' | 'url' | 'textarea' | 'message' | 'json' | 'keywords' | 'cron' | 'timezone' })
  | (Base & { kind: 'number'; min?: number; max?: number })
  | (Base & { kind: 'select'; options: readonly string[]; optionKeyPrefix?: string })
  | (Base & { kind: 'tag' | 'funnel' | 'instance' | 'tags-multi' | 'stages-multi' })
  | (Base & { kind: 'stage'; funnelKey?: string })
  | (Base & { kind: 'percentages' | 'condition-field' | 'condition-value' })

export type NodeSpec = {
  subtype: NodeSubtype
  type: NodeKind
  labelKey: MessageKey
  /** Named outputs, in order; SPLIT's depend on its percentages. */
  outputs: readonly string[] | ((data: NodeData) => string[])
  fields: FieldSpec[]
  /** `data` of a node fresh from the palette. */
  defaults: () => NodeData
}

const OUTPUT = ['output'] as const
const instance: FieldSpec = { key: 'instanceId', kind: 'instance', labelKey: 'flows.field.instanceId' }
const units = { optionKeyPrefix: 'flows.unit.' }

export const splitHandles = (data: NodeData): string[] => {
  const count = Array.isArray(data.percentages) ? data.percentages.length : SPLIT_MIN
  return Array.from({ length: Math.max(count, 1) }, (_, index) => String.fromCharCode(97 + index))
}

export const NODE_SPECS: NodeSpec[] = [
  // Triggers
  { subtype: 'NEW_CONTACT', type: 'trigger', labelKey: 'flows.node.NEW_CONTACT', outputs: OUTPUT, fields: [instance], defaults: () => ({}) },
  {
    subtype: 'MESSAGE_RECEIVED',
    type: 'trigger',
    labelKey: 'flows.node.MESSAGE_RECEIVED',
    outputs: OUTPUT,
    fields: [instance],
    defaults: () => ({}),
  },
  {
    subtype: 'KEYWORD',
    type: 'trigger',
    labelKey: 'flows.node.KEYWORD',
    outputs: OUTPUT,
    fields: [
      { key: 'keywords', kind: 'keywords', labelKey: 'flows.field.keywords', required: true, hintKey: 'flows.hint.keywords' },
      { key: 'match', kind: 'select', labelKey: 'flows.field.match', options: KEYWORD_MATCHES, optionKeyPrefix: 'flows.match.' },
      instance,
    ],
    defaults: () => ({ keywords: [], match: 'contains' }),
  },
  {
    subtype: 'TAG_ADDED',
    type: 'trigger',
    labelKey: 'flows.node.TAG_ADDED',
    outputs: OUTPUT,
    fields: [{ key: 'tagId', kind: 'tag', labelKey: 'flows.field.tagAny' }],
    defaults: () => ({}),
  },
  {
    subtype: 'STAGE_CHANGED',
    type: 'trigger',
    labelKey: 'flows.node.STAGE_CHANGED',
    outputs: OUTPUT,
    fields: [
      { key: 'funnelId', kind: 'funnel', labelKey: 'flows.field.funnelId' },
      { key: 'stageId', kind: 'stage', labelKey: 'flows.field.stageId', funnelKey: 'funnelId' },
    ],
    defaults: () => ({}),
  },
  {
    subtype: 'SCHEDULE',
    type: 'trigger',
    labelKey: 'flows.node.SCHEDULE',
    outputs: OUTPUT,
    fields: [
      { key: 'schedule', kind: 'cron', labelKey: 'flows.field.schedule', required: true, hintKey: 'flows.hint.cron' },
      { key: 'timezone', kind: 'timezone', labelKey: 'flows.field.timezone', hintKey: 'flows.hint.timezone' },
      { key: 'filter.tagIds', kind: 'tags-multi', labelKey: 'flows.field.filterTags' },
      { key: 'filter.stageIds', kind: 'stages-multi', labelKey: 'flows.field.filterStages' },
    ],
    defaults: () => ({ schedule: '0 9 * * 1-5' }),
  },
  { subtype: 'WEBHOOK', type: 'trigger', labelKey: 'flows.node.WEBHOOK', outputs: OUTPUT, fields: [], defaults: () => ({}) },
  // Actions
  {
    subtype: 'SEND_MESSAGE',
    type: 'action',
    labelKey: 'flows.node.SEND_MESSAGE',
    outputs: OUTPUT,
    fields: [{ key: 'message', kind: 'message', labelKey: 'flows.field.message', required: true }],
    defaults: () => ({ message: '' }),
  },
  {
    subtype: 'SEND_MEDIA',
    type: 'action',
    labelKey: 'flows.node.SEND_MEDIA',
    outputs: OUTPUT,
    fields: [
      { key: 'mediaUrl', kind: 'url', labelKey: 'flows.field.mediaUrl', required: true },
      { key: 'mediaType', kind: 'select', labelKey: 'flows.field.mediaType', options: MEDIA_TYPES, optionKeyPrefix: 'flows.media.' },
      { key: 'caption', kind: 'message', labelKey: 'flows.field.caption' },
      { key: 'fileName', kind: 'text', labelKey: 'flows.field.fileName' },
    ],
    defaults: () => ({ mediaUrl: '', mediaType: 'image' }),
  },
  {
    subtype: 'ADD_TAG',
    type: 'action',
    labelKey: 'flows.node.ADD_TAG',
    outputs: OUTPUT,
    fields: [{ key: 'tagId', kind: 'tag', labelKey: 'flows.field.tagId', required: true }],
    defaults: () => ({}),
  },
  {
    subtype: 'REMOVE_TAG',
    type: 'action',
    labelKey: 'flows.node.REMOVE_TAG',
    outputs: OUTPUT,
    fields: [{ key: 'tagId', kind: 'tag', labelKey: 'flows.field.tagId', required: true }],
    defaults: () => ({}),
  },
  {
    subtype: 'MOVE_TO_STAGE',
    type: 'action',
    labelKey: 'flows.node.MOVE_TO_STAGE',
    outputs: OUTPUT,
    fields: [{ key: 'stageId', kind: 'stage', labelKey: 'flows.field.stageId', required: true }],
    defaults: () => ({}),
  },
  {
    subtype: 'CREATE_DEAL',
    type: 'action',
    labelKey: 'flows.node.CREATE_DEAL',
    outputs: OUTPUT,
    fields: [
      { key: 'title', kind: 'text', labelKey: 'flows.field.title', required: true },
      { key: 'stageId', kind: 'stage', labelKey: 'flows.field.stageId', required: true },
      { key: 'value', kind: 'number', labelKey: 'flows.field.value', min: 0 },
    ],
    defaults: () => ({ title: '' }),
  },
  {
    subtype: 'UPDATE_CONTACT',
    type: 'action',
    labelKey: 'flows.node.UPDATE_CONTACT',
    outputs: OUTPUT,
    fields: [
      { key: 'fields.name', kind: 'text', labelKey: 'flows.field.contactName' },
      { key: 'fields.email', kind: 'text', labelKey: 'flows.field.contactEmail' },
      { key: 'fields.notes', kind: 'textarea', labelKey: 'flows.field.contactNotes' },
      { key: 'fields.customFields', kind: 'json', labelKey: 'flows.field.customFields', hintKey: 'flows.hint.json' },
    ],
    defaults: () => ({ fields: {} }),
  },
  {
    subtype: 'CALL_WEBHOOK',
    type: 'action',
    labelKey: 'flows.node.CALL_WEBHOOK',
    outputs: ['output', 'error'],
    fields: [
      { key: 'method', kind: 'select', labelKey: 'flows.field.method', options: HTTP_METHODS },
      { key: 'url', kind: 'url', labelKey: 'flows.field.url', required: true },
      { key: 'headers', kind: 'json', labelKey: 'flows.field.headers', hintKey: 'flows.hint.headers' },
      { key: 'body', kind: 'json', labelKey: 'flows.field.body', hintKey: 'flows.hint.body' },
      { key: 'timeoutSeconds', kind: 'number', labelKey: 'flows.field.timeoutSeconds', min: 1, max: 30 },
    ],
    defaults: () => ({ method: 'POST', url: '', timeoutSeconds: 10 }),
  },
  {
    subtype: 'NOTIFY_TEAM',
    type: 'action',
    labelKey: 'flows.node.NOTIFY_TEAM',
    outputs: OUTPUT,
    fields: [{ key: 'message', kind: 'message', labelKey: 'flows.field.message', required: true, hintKey: 'flows.hint.notifyEveryone' }],
    defaults: () => ({ message: '' }),
  },
  {
    subtype: 'AI_REPLY',
    type: 'action',
    labelKey: 'flows.node.AI_REPLY',
    outputs: OUTPUT,
    fields: [{ key: 'instructions', kind: 'textarea', labelKey: 'flows.field.instructions' }],
    defaults: () => ({}),
  },
  // Conditions
  {
    subtype: 'IF_CONDITION',
    type: 'condition',
    labelKey: 'flows.node.IF_CONDITION',
    outputs: ['true', 'false'],
    fields: [
      { key: 'field', kind: 'condition-field', labelKey: 'flows.field.field', required: true },
      {
        key: 'operator',
        kind: 'select',
        labelKey: 'flows.field.operator',
        options: CONDITION_OPERATORS,
        optionKeyPrefix: 'flows.operator.',
      },
      { key: 'value', kind: 'condition-value', labelKey: 'flows.field.conditionValue' },
    ],
    defaults: () => ({ field: 'message.text', operator: 'contains', value: '' }),
  },
  {
    subtype: 'WAIT_RESPONSE',
    type: 'condition',
    labelKey: 'flows.node.WAIT_RESPONSE',
    outputs: ['output', 'timeout'],
    fields: [
      { key: 'timeout', kind: 'number', labelKey: 'flows.field.timeout', required: true, min: 1 },
      { key: 'timeoutUnit', kind: 'select', labelKey: 'flows.field.unit', options: TIME_UNITS, ...units },
    ],
    defaults: () => ({ timeout: 1, timeoutUnit: 'hours' }),
  },
  {
    subtype: 'WAIT_TIME',
    type: 'condition',
    labelKey: 'flows.node.WAIT_TIME',
    outputs: OUTPUT,
    fields: [
      { key: 'delay', kind: 'number', labelKey: 'flows.field.delay', required: true, min: 1 },
      { key: 'unit', kind: 'select', labelKey: 'flows.field.unit', options: TIME_UNITS, ...units },
    ],
    defaults: () => ({ delay: 1, unit: 'hours' }),
  },
  {
    subtype: 'SPLIT',
    type: 'condition',
    labelKey: 'flows.node.SPLIT',
    outputs: splitHandles,
    fields: [{ key: 'percentages', kind: 'percentages', labelKey: 'flows.field.percentages', required: true }],
    defaults: () => ({ percentages: [50, 50] }),
  },
]

export const NODE_SPEC: Record<NodeSubtype, NodeSpec> = Object.fromEntries(
  NODE_SPECS.map((spec) => [spec.subtype, spec]),
) as Record<NodeSubtype, NodeSpec>

export const isKnownSubtype = (subtype: string): subtype is NodeSubtype => subtype in NODE_SPEC

/** The node's outputs (sourceHandle names) for its current data. */
export function outputsOf(subtype: NodeSubtype, data: NodeData): string[] {
  const { outputs } = NODE_SPEC[subtype]
  return typeof outputs === 'function' ? outputs(data) : [...outputs]
}

// --- dotted paths into node data ("fields.name", "filter.tagIds") ----------------------------

export function getPath(data: NodeData, path: string): unknown {
  let current: unknown = data
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined
    current = (current as Record<string, unknown>)[part]
  }
  return current
}

/** A copy of `data` with `path` set; `undefined` removes the key (and empty parents). */
export function setPath(data: NodeData, path: string, value: unknown): NodeData {
  const [head, ...rest] = path.split('.')
  const next: NodeData = { ...data }
  if (rest.length === 0) {
    if (value === undefined) delete next[head]
    else next[head] = value
    return next
  }
  const child = typeof data[head] === 'object' && data[head] !== null ? (data[head] as NodeData) : {}
  const updated = setPath(child, rest.join('.'), value)
  if (Object.keys(updated).length === 0 && head !== 'fields') delete next[head]
  else next[head] = updated
  return next
}
