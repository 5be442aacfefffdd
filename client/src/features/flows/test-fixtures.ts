import type { Execution, Flow, FlowSummary } from './api/types'

export const summary = (overrides: Partial<FlowSummary> = {}): FlowSummary => ({
  id: 'f1',
  name: 'Boas-vindas',
  description: 'Recebe quem chega',
  isActive: false,
  triggerType: 'NEW_CONTACT',
  nodeCount: 4,
  executionCount: 12,
  lastExecutedAt: '2030-01-02T10:00:00Z',
  createdAt: '2030-01-01T10:00:00Z',
  updatedAt: '2030-01-01T10:00:00Z',
  ...overrides,
})

/** Trigger → IF (true → message, false → wait for reply). */
export const flow = (overrides: Partial<Flow> = {}): Flow => ({
  ...summary(),
  nodes: [
    { id: 'n1', type: 'trigger', subtype: 'NEW_CONTACT', label: 'Novo contato', position: { x: 100, y: 40 }, data: {} },
    {
      id: 'n2',
      type: 'condition',
      subtype: 'IF_CONDITION',
      label: 'Tem e-mail?',
      position: { x: 100, y: 200 },
      data: { field: 'contact.email', operator: 'exists', value: '' },
    },
    { id: 'n3', type: 'action', subtype: 'SEND_MESSAGE', label: 'Oi', position: { x: 0, y: 360 }, data: { message: 'Oi {{contact.firstName}}' } },
    {
      id: 'n4',
      type: 'condition',
      subtype: 'WAIT_RESPONSE',
      label: 'Espera',
      position: { x: 240, y: 360 },
      data: { timeout: 2, timeoutUnit: 'hours' },
    },
  ],
  connections: [
    { id: 'c1', sourceId: 'n1', targetId: 'n2', sourceHandle: 'output', targetHandle: 'input' },
    { id: 'c2', sourceId: 'n2', targetId: 'n3', sourceHandle: 'true', targetHandle: 'input' },
    { id: 'c3', sourceId: 'n2', targetId: 'n4', sourceHandle: 'false', targetHandle: 'input' },
  ],
  ...overrides,
})

export const execution = (overrides: Partial<Execution> = {}): Execution => ({
  id: 'e1',
  flowId: 'f1',
  flowName: 'Boas-vindas',
  status: 'WAITING',
  contact: { id: 'ct1', name: 'Maria Silva' },
  conversationId: null,
  currentNodeId: 'n4',
  waitingUntil: '2030-01-02T12:00:00Z',
  error: null,
  path: [
    { nodeId: 'n1', subtype: 'NEW_CONTACT', label: 'Novo contato', at: '2030-01-02T10:00:00Z', result: 'success', handle: 'output' },
    { nodeId: 'n2', subtype: 'IF_CONDITION', label: 'Tem e-mail?', at: '2030-01-02T10:00:01Z', result: 'success', handle: 'false' },
    { nodeId: 'n4', subtype: 'WAIT_RESPONSE', label: 'Espera', at: '2030-01-02T10:00:02Z', result: 'waiting', handle: null, detail: { until: '12:00' } },
  ],
  startedAt: '2030-01-02T10:00:00Z',
  finishedAt: null,
  ...overrides,
})
