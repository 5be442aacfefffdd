import type { AiInstanceSettings, AiStatus, AiUsage, Onboarding, PromptView } from './api/types'

export const enabledStatus = (overrides: Partial<AiStatus> = {}): AiStatus => ({
  enabled: true,
  reason: null,
  model: 'gpt-4o-mini',
  keySource: 'platform',
  companyKey: null,
  ...overrides,
})

export const disabledStatus = (): AiStatus => ({
  enabled: false,
  reason: 'A IA está desativada: nenhuma chave de modelo está configurada.',
  model: null,
  keySource: null,
  companyKey: null,
})

export const usage = (overrides: Partial<AiUsage> = {}): AiUsage => ({
  calls: 12,
  failedCalls: 1,
  promptTokens: 1000,
  completionTokens: 234,
  tokens: 1234,
  costUsd: '0.004200',
  ...overrides,
})

export const makeInstance = (overrides: Partial<AiInstanceSettings> = {}): AiInstanceSettings => ({
  instanceId: 'inst-1',
  name: 'Vendas',
  connectionStatus: 'open',
  enabled: false,
  autonomyLevel: 0,
  quietWindowSeconds: 10,
  fallbackReply: null,
  promptVersion: null,
  onboardingComplete: false,
  onboardingStep: 0,
  ...overrides,
})

export const promptView = (overrides: Partial<PromptView> = {}): PromptView => ({
  instanceId: 'inst-1',
  current: null,
  effective: 'Você é o assistente da Loja Alfa.',
  versions: [],
  ...overrides,
})

export const makeOnboarding = (overrides: Partial<Onboarding> = {}): Onboarding => ({
  instanceId: 'inst-1',
  businessName: null,
  businessType: null,
  businessDescription: null,
  targetAudience: null,
  tone: null,
  mainProducts: null,
  faq: null,
  restrictions: null,
  workingHours: null,
  promotions: null,
  currentStep: 0,
  totalSteps: 6,
  isComplete: false,
  completedAt: null,
  updatedAt: null,
  ...overrides,
})
