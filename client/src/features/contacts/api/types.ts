// Shapes of docs/api-crm.md (Contacts and Tags). The server sends camelCase JSON.

export type TagSummary = { id: string; name: string; color: string }

export type Tag = TagSummary & {
  description: string | null
  isAiManaged: boolean
  contactCount: number
  createdAt: string
  updatedAt: string
}

export type ContactStage = { id: string; name: string; color: string; funnelId: string; funnelName: string }

export type ContactSource = 'whatsapp' | 'manual' | 'import'

export type ContactSummary = {
  id: string
  publicId: string
  name: string | null
  pushName: string | null
  displayName: string
  phoneNumber: string | null
  email: string | null
  isBlocked: boolean
  avatarUrl: string | null
  source: ContactSource
  tags: TagSummary[]
  currentStage: ContactStage | null
  lastActivityAt: string | null
  createdAt: string
  updatedAt: string
}

export type DealStatus = 'OPEN' | 'WON' | 'LOST'

export type ContactConversation = {
  id: string
  instanceId: string
  instanceName: string | null
  lastMessageAt: string | null
  unreadCount: number
}

export type ContactDeal = {
  id: string
  title: string
  value: number | null
  status: DealStatus
  stage: { id: string; name: string }
  funnelId: string
}

export type Contact = ContactSummary & {
  notes: string | null
  customFields: Record<string, unknown>
  conversations: ContactConversation[]
  deals: ContactDeal[]
  aiProfile: ContactAiProfile | null
}

/** What the AI's analyses learnt about the person (the lists and style may be empty). */
export type ContactAiProfile = {
  sentiment: string | null
  urgency: string | null
  summary?: string | null
  interests?: string[]
  preferences?: string[]
  keyFacts?: string[]
  communicationStyle?: string | null
  updatedAt?: string | null
}

/** `totalIsCapped`: the server stopped counting at `total` (large lists); there are more. */
export type Pagination = { page: number; limit: number; total: number; totalPages: number; totalIsCapped?: boolean }
export type ContactPage = { contacts: ContactSummary[]; pagination: Pagination }

export const SORTS = ['name', '-name', 'createdAt', '-createdAt', 'lastActivityAt', '-lastActivityAt'] as const
export type ContactSort = (typeof SORTS)[number]
export type SortField = 'name' | 'createdAt' | 'lastActivityAt'

/** The list's state as it lives in the URL; dates are the `YYYY-MM-DD` of a date input. */
export type ContactListParams = {
  search?: string
  tagIds?: string[]
  tagMatch?: 'any' | 'all'
  funnelId?: string
  stageId?: string
  isBlocked?: boolean
  createdFrom?: string
  createdTo?: string
  activityFrom?: string
  activityTo?: string
  sort?: ContactSort
  page?: number
  limit?: number
}

export type ContactInput = {
  phoneNumber?: string
  name?: string | null
  email?: string | null
  notes?: string | null
  customFields?: Record<string, unknown>
}

export type Note = {
  id: string
  content: string
  createdBy: { id: string; fullName: string } | null
  createdAt: string
  updatedAt: string
}

export type TimelineActor = 'user' | 'ai' | 'automation' | 'system' | 'customer'

export type TimelineItem = {
  id: string
  at: string
  kind: 'message' | 'event'
  type: string
  actor: TimelineActor
  user: { id: string; fullName: string } | null
  summary: string
  payload: Record<string, unknown> | null
}

export type TimelinePage = { items: TimelineItem[]; nextCursor: string | null }

export type ImportRowStatus = 'create' | 'created' | 'duplicate' | 'invalid'

export type ImportRow = {
  line: number
  status: ImportRowStatus
  name: string | null
  phoneNumber: string | null
  email: string | null
  error?: string | null
  contactId?: string | null
}

export type ImportResult = {
  dryRun?: boolean
  total: number
  created: number
  updated: number
  duplicates: number
  invalid: number
  rows: ImportRow[]
  /** The recognised fields in file order: "name", "phoneNumber", "email", "notes", "tags". */
  columns: string[]
}

export type EraseResult = { messages: number; media: number; conversations: number; notes?: number; events?: number; tags?: number; deals?: number }

export type MergeResult = { merged: number; contactsUpdated: number; targetTag: Tag }

/** What the contacts pages need from GET /api/funnels. */
export type FunnelStageOption = { id: string; name: string; color: string; order: number }
export type FunnelOption = { id: string; name: string; isDefault: boolean; stages: FunnelStageOption[] }
