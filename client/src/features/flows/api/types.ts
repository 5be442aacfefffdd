// Shapes of docs/api-flows.md. The server sends camelCase JSON.

export const NODE_KINDS = ['trigger', 'action', 'condition'] as const
export type NodeKind = (typeof NODE_KINDS)[number]

export const NODE_SUBTYPES = [
  'NEW_CONTACT',
  'MESSAGE_RECEIVED',
  'KEYWORD',
  'TAG_ADDED',
  'STAGE_CHANGED',
  'SCHEDULE',
  'WEBHOOK',
  'SEND_MESSAGE',
  'SEND_MEDIA',
  'ADD_TAG',
  'REMOVE_TAG',
  'MOVE_TO_STAGE',
  'CREATE_DEAL',
  'UPDATE_CONTACT',
  'CALL_WEBHOOK',
  'NOTIFY_TEAM',
  'AI_REPLY',
  'IF_CONDITION',
  'WAIT_RESPONSE',
  'WAIT_TIME',
  'SPLIT',
] as const
export type NodeSubtype = (typeof NODE_SUBTYPES)[number]

export type NodeData = Record<string, unknown>

export type FlowNode = {
  id: string
  type: NodeKind
  subtype: NodeSubtype
  label: string
  position: { x: number; y: number }
  data: NodeData
}

export type FlowConnection = {
  id: string
  sourceId: string
  targetId: string
  sourceHandle: string
  targetHandle: string
}

export type FlowSummary = {
  id: string
  name: string
  description: string | null
  isActive: boolean
  triggerType: NodeSubtype | null
  webhookUrl?: string | null
  nodeCount: number
  executionCount: number
  lastExecutedAt: string | null
  createdAt: string
  updatedAt: string
}

export type Flow = FlowSummary & { nodes: FlowNode[]; connections: FlowConnection[] }

/** The body of POST /api/flows and PUT /api/flows/:id. */
export type FlowBody = { name: string; description: string; nodes: FlowNode[]; connections: FlowConnection[] }

/** One entry of a 422 `invalid_flow` answer's details. */
export type InvalidFlowDetail = { nodeId?: string; connectionId?: string; message: string }

export const EXECUTION_STATUSES = ['RUNNING', 'WAITING', 'COMPLETED', 'FAILED', 'TIMEOUT', 'CANCELLED'] as const
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number]

export const STEP_RESULTS = ['success', 'skipped', 'failed', 'waiting', 'timeout'] as const
export type StepResult = (typeof STEP_RESULTS)[number]

export type Step = {
  nodeId: string
  /** A NodeSubtype; typed loosely because a run may outlive a change of the catalogue. */
  subtype: string
  label: string
  at: string
  /** A StepResult. */
  result: string
  handle: string | null
  detail?: unknown
}

export type Execution = {
  id: string
  flowId: string
  flowName: string
  status: ExecutionStatus
  contact: { id: string; name: string | null } | null
  conversationId: string | null
  currentNodeId: string | null
  waitingUntil: string | null
  error: string | null
  /** Always in GET /api/flows/executions/:id; the list may leave it out. */
  path?: Step[]
  startedAt: string
  finishedAt: string | null
}

export type TestRunInput = {
  contactId?: string
  conversationId?: string
  message?: string
  trigger?: Record<string, unknown>
  /** Which SPLIT branch the dry run takes (the first one otherwise). */
  splitBranch?: string
}

export type TestRunResult = { path: Step[]; outcome: unknown }

/** GET /api/flows/node-types: "the table above as data"; only these fields are relied on. */
export type NodeTypeInfo = { type: NodeKind; subtype: string; outputs?: unknown }
