/** Shapes of the AI API (server/evoai/ai): every response is the `data` of `{success, data}`. */

export type AutonomyLevel = 0 | 1 | 2
export type KeySource = 'company' | 'platform'

export type AiStatus = {
  enabled: boolean
  /** Why the AI is off and how to turn it on (Portuguese, from the server); null when enabled. */
  reason: string | null
  model: string | null
  keySource: KeySource | null
  companyKey: { hint: string; model: string | null; updatedAt: string } | null
}

export type AiUsage = {
  calls: number
  failedCalls: number
  promptTokens: number
  completionTokens: number
  tokens: number
  /** US dollars, as a decimal string ("0.001234"). */
  costUsd: string
}

export type AiInstanceSettings = {
  instanceId: string
  name: string
  connectionStatus: string
  enabled: boolean
  autonomyLevel: AutonomyLevel
  quietWindowSeconds: number
  fallbackReply: string | null
  promptVersion: number | null
  onboardingComplete: boolean
  onboardingStep: number
}

export type AiSettingsChanges = Partial<Pick<AiInstanceSettings, 'enabled' | 'autonomyLevel' | 'quietWindowSeconds'>> & {
  fallbackReply?: string | null
}

export type PromptSource = 'manual' | 'generated' | 'restored'

export type PromptVersion = {
  version: number
  content: string
  source: PromptSource
  restoredFrom: number | null
  createdAt: string
  /** The author's e-mail. */
  createdBy: string | null
}

export type PromptView = {
  instanceId: string
  current: PromptVersion | null
  /** The text the AI uses now: the current version, or the generated/default one. */
  effective: string
  versions: PromptVersion[]
}

export type Tone = 'formal' | 'professional_friendly' | 'casual' | 'enthusiastic'
export const TONES: readonly Tone[] = ['formal', 'professional_friendly', 'casual', 'enthusiastic']

export type FaqItem = { question: string; answer: string }
export type WorkingHours = { start: string; end: string; timezone: string; workDays: number[] }

export type OnboardingAnswers = {
  businessName: string | null
  businessType: string | null
  businessDescription: string | null
  targetAudience: string | null
  tone: Tone | null
  mainProducts: string[] | null
  faq: FaqItem[] | null
  restrictions: string[] | null
  workingHours: WorkingHours | null
  promotions: string | null
}

export type Onboarding = OnboardingAnswers & {
  instanceId: string
  currentStep: number
  totalSteps: number
  isComplete: boolean
  completedAt: string | null
  updatedAt: string | null
}

export type OnboardingSave = Partial<OnboardingAnswers> & { currentStep?: number; isComplete?: boolean }

export type GeneratedPrompt = { generatedPrompt: string; promptLength: number; estimatedTokens: number }

export type AiActionStatus = 'done' | 'failed' | 'refused' | 'simulated'

/** One tool call of the AI, as logged on the message, in the state and in the contact's history. */
export type AiAction = {
  tool: string
  arguments: Record<string, unknown>
  reason: string
  level: number
  status: AiActionStatus | (string & {})
  detail?: string | null
  at?: string
  messageId?: string
}

export type PreviewResult = {
  reply: string
  parts: string[]
  fallback: boolean
  actions: AiAction[]
  model: string
  autonomyLevel: number
}

/** On the first message of an AI answer. */
export type AiMetadata = {
  turnId?: string
  model?: string | null
  autonomyLevel?: number
  fallback?: boolean
  answersThrough?: string | null
  actions?: AiAction[]
}

export type PausedReason = 'ai_handover' | 'manual' | 'human_takeover'

export type ConversationAiState = {
  conversationId: string
  aiEnabled: boolean
  isPaused: boolean
  pausedReason: PausedReason | null
  autonomyLevel: number
  sentiment: string | null
  urgency: string | null
  intent: string | null
  topics: string[]
  summary: string | null
  suggestedResponse: string | null
  lastAnalyzedAt: string | null
  messageCount: number
  lastTurnAt: string | null
  actionsPerformed: AiAction[]
}
