// docs/api-followups.md
export const TRIGGER_TYPES = [
  'NO_RESPONSE',
  'STAGE_ENTERED',
  'STAGE_CHANGED',
  'TAG_ADDED',
  'DEAL_CREATED',
  'SENTIMENT_DETECTED',
] as const
export type TriggerType = (typeof TRIGGER_TYPES)[number]
export const TRIGGER_UNITS = ['minutes', 'hours', 'days'] as const
export type TriggerUnit = (typeof TRIGGER_UNITS)[number]
export const ACTION_TYPES = ['TEMPLATE', 'AI_GENERATED'] as const
export type ActionType = (typeof ACTION_TYPES)[number]
export const SENTIMENTS = ['positive', 'neutral', 'negative'] as const
export type Sentiment = (typeof SENTIMENTS)[number]
export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export type Day = (typeof DAYS)[number]
export const FOLLOWUP_STATUSES = ['PENDING', 'SENT', 'RESPONDED', 'CANCELLED', 'FAILED'] as const
export type FollowupStatus = (typeof FOLLOWUP_STATUSES)[number]

export type TriggerConfig = { stageIds?: string[]; tagIds?: string[]; funnelId?: string | null; sentiments?: Sentiment[] }
export type ActionConfig = {
  tone?: string | null
  maxTokens?: number
  customInstructions?: string | null
  useConversationContext?: boolean
}
export type Conditions = { includeStageIds?: string[]; excludeTagIds?: string[] }
export type PostActions = { addTagIds?: string[]; moveToStageId?: string | null }
export type RuleStats = { pending: number; sent: number; responded: number; cancelled: number; failed: number }

export type Rule = {
  id: string
  name: string
  description: string | null
  instanceId: string | null
  instance: { id: string; instanceName: string | null } | null
  triggerType: TriggerType
  triggerValue: number
  triggerUnit: TriggerUnit
  triggerConfig: TriggerConfig
  actionType: ActionType
  message: string | null
  actionConfig: ActionConfig
  conditions: Conditions
  postActions: PostActions
  maxFollowupsPerContact: number
  minIntervalHours: number
  minHoursSinceResponse: number | null
  respectBusinessHours: boolean
  businessHoursStart: string
  businessHoursEnd: string
  allowedDays: Day[]
  aiValidationEnabled: boolean
  aiValidationPrompt: string | null
  priority: number
  maxAttempts: number
  isActive: boolean
  stats: RuleStats
  createdAt: string
  updatedAt: string
}

/** What POST /rules and PUT /rules/:id take (the server refuses unknown fields): the rule's own
 * settings, with every part of its nested objects sent. */
export type RuleInput = Omit<
  Rule,
  'id' | 'instance' | 'isActive' | 'stats' | 'createdAt' | 'updatedAt' | 'triggerConfig' | 'actionConfig' | 'conditions' | 'postActions'
> & {
  triggerConfig: Required<TriggerConfig>
  actionConfig: Required<ActionConfig>
  conditions: Required<Conditions>
  postActions: Required<PostActions>
}

export type Followup = {
  id: string
  rule: { id: string | null; name: string }
  ruleName: string
  conversation: { id: string; contactNumber: string; contactName: string | null }
  contact: { id: string; name: string | null } | null
  triggerType: TriggerType | 'MANUAL'
  source: 'rule' | 'manual'
  status: FollowupStatus
  scheduledFor: string
  dueAt: string
  attempt: number
  maxAttempts: number
  reason: string | null
  text: string | null
  messageId: string | null
  sentAt: string | null
  closedAt: string | null
  cancelledAt: string | null
  cancelReason: string | null
  createdAt: string
}

export type Lead = {
  contact: { id: string | null; name: string | null; phoneNumber: string }
  conversation: { id: string; lastMessageAt: string | null }
  followups: { id: string; ruleName: string; scheduledFor: string; status: FollowupStatus; attempt: number }[]
  totalPending: number
}

export type RuleRate = {
  ruleId: string
  ruleName: string
  sent: number
  responded: number
  cancelled: number
  failed: number
  responseRate: number
}

export type DashboardMetrics = {
  period: { start: string; end: string; days: number; timezone: string }
  summary: {
    totalSent: number
    totalResponded: number
    totalSkippedByReply: number
    totalCancelled: number
    responseRate: number
    cancelRate: number
  }
  daily: { date: string; sent: number; responded: number; cancelled: number }[]
  byRule: RuleRate[]
  topPerformingRules: { ruleId: string; ruleName: string; responseRate: number }[]
}

export type Holiday = { id: string; date: string; name: string }

export type ScheduleInput = { ruleId: string; conversationId: string; scheduledFor: string }
export type Scheduled = { id: string; ruleId: string; conversationId: string; scheduledFor: string; status: FollowupStatus; createdAt: string }
