// Shapes shared by several features (each feature keeps its own request/response types).

export type Role = 'admin' | 'coordinator' | 'member'

export const PERMISSION_KEYS = [
  'canManageUsers',
  'canManageWhatsApp',
  'canViewReports',
  'canManageFlows',
  'canManageContacts',
  'canManagePrompt',
] as const
export type PermissionKey = (typeof PERMISSION_KEYS)[number]
export type Permissions = Record<PermissionKey, boolean>

export type PlanType = 'free' | 'pro' | 'business' | 'enterprise'
export type PlanLimits = { instances: number | null; contacts: number | null; messagesPerMonth: number | null }
export type Plan = { type: PlanType; name: string; limits: PlanLimits }
