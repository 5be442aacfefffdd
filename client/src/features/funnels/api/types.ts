// Shapes of docs/api-crm.md (Funnels and stages, Deals). Money is a number with two decimals.

export type Stage = {
  id: string
  publicId: string
  funnelId: string
  name: string
  description: string | null
  color: string
  order: number
  probability: number
  wipLimit: number | null
  isWonStage: boolean
  isLostStage: boolean
  dealCount: number
  openDealCount: number
  dealValue: number
  contactCount: number
}

export type Funnel = {
  id: string
  publicId: string
  name: string
  description: string | null
  color: string
  isDefault: boolean
  order: number
  stageCount: number
  dealCount: number
  totalValue: number
  stages: Stage[]
  createdAt: string
  updatedAt: string
}

export type DealStatus = 'OPEN' | 'WON' | 'LOST'
export type DealPriority = 'low' | 'medium' | 'high'

export type DealContact = { id: string; name: string | null; phoneNumber: string | null; avatarUrl: string | null }

export type DealCard = {
  id: string
  publicId: string
  title: string
  value: number
  currency: string
  status: DealStatus
  priority: DealPriority | null
  stageId: string
  funnelId: string
  /** Index in its board column (board and live events); null elsewhere. */
  position: number | null
  contact: DealContact | null
  expectedCloseDate: string | null
  stageEnteredAt: string
  lastActivityAt: string | null
  noteCount: number
  attachmentCount: number
}

export type UserRef = { id: string; fullName: string } | null

export type ActivityType =
  | 'CREATED'
  | 'UPDATED'
  | 'STAGE_CHANGED'
  | 'STATUS_CHANGED'
  | 'REOPENED'
  | 'NOTE_ADDED'
  | 'ATTACHMENT_ADDED'
  | 'ATTACHMENT_REMOVED'
  | 'VALUE_CHANGED'
  | 'CLONED'

export type Activity = {
  id: string
  type: ActivityType
  description: string
  metadata: Record<string, unknown> | null
  actor: string | null
  createdBy: UserRef
  createdAt: string
}

export type Deal = DealCard & {
  description: string | null
  clonedFromDealId: string | null
  stage: { id: string; name: string; order: number; funnel: { id: string; name: string } }
  closedAt: string | null
  lostReason: string | null
  createdBy: UserRef
  activities: Activity[]
  createdAt: string
  updatedAt: string
}

export type DealNote = {
  id: string
  title: string | null
  content: string | null
  /** Sanitised by the server (a small allow-list of formatting tags). */
  contentHtml: string | null
  createdBy: UserRef
  createdAt: string
  updatedAt: string
}

export type DealAttachment = {
  id: string
  fileName: string
  /** Signed and short-lived: always taken from a fresh list. */
  fileUrl: string
  fileSize: number
  mimeType: string
  createdBy: UserRef
  createdAt: string
}

export type BoardColumn = {
  stage: Stage
  deals: DealCard[]
  /** Every card of the column, including those beyond the 200 the board sends. */
  total: number
  totalValue: number
}

export type Board = { funnel: Funnel; columns: BoardColumn[] }

export type StageStat = {
  stageId: string
  stageName: string
  dealCount: number
  dealValue: number
  contactCount: number
  /** Percent of the deals that reached this stage and went further. */
  conversionToNext: number | null
  averageDaysInStage: number | null
}

/** The spec's summary fields are not all in our contract; only these are relied on. */
export type FunnelStats = {
  stageStats: StageStat[]
  conversionBase: { won: number; created: number }
  [field: string]: unknown
}

export type ContactOption = {
  id: string
  displayName: string
  phoneNumber: string | null
}

export type DealInput = {
  title: string
  stageId: string
  contactId?: string
  value?: number
  expectedCloseDate?: string
  description?: string
  priority?: DealPriority
}

export type DealPatch = Partial<{
  title: string
  value: number
  expectedCloseDate: string | null
  description: string | null
  priority: DealPriority | null
  status: DealStatus
  lostReason: string
}>

export type StageInput = Partial<{
  name: string
  description: string | null
  color: string
  probability: number
  wipLimit: number | null
  isWonStage: boolean
  isLostStage: boolean
}>

export type FunnelInput = Partial<{ name: string; description: string | null; color: string; isDefault: true }>
