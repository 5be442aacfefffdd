import type { Board, BoardColumn, Deal, DealCard, Funnel, Stage } from './api/types'

export function makeStage(overrides: Partial<Stage> & Pick<Stage, 'id' | 'name'>): Stage {
  return {
    publicId: overrides.id.toUpperCase(),
    funnelId: 'f1',
    description: null,
    color: '#3B82F6',
    order: 0,
    probability: 25,
    wipLimit: null,
    isWonStage: false,
    isLostStage: false,
    dealCount: 0,
    openDealCount: 0,
    dealValue: 0,
    contactCount: 0,
    ...overrides,
  }
}

export function makeCard(overrides: Partial<DealCard> & Pick<DealCard, 'id' | 'stageId'>): DealCard {
  return {
    publicId: overrides.id.toUpperCase(),
    title: `Negócio ${overrides.id}`,
    value: 100,
    currency: 'BRL',
    status: 'OPEN',
    priority: null,
    funnelId: 'f1',
    position: 0,
    contact: null,
    expectedCloseDate: null,
    stageEnteredAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
    lastActivityAt: null,
    noteCount: 0,
    attachmentCount: 0,
    ...overrides,
  }
}

/** A column whose aggregates agree with its cards. */
export function makeColumn(stage: Stage, deals: DealCard[]): BoardColumn {
  const cards = deals.map((card, position) => ({ ...card, stageId: stage.id, position }))
  const open = cards.filter((card) => card.status === 'OPEN').length
  return {
    stage: { ...stage, openDealCount: open, dealCount: cards.length },
    deals: cards,
    total: cards.length,
    totalValue: cards.reduce((sum, card) => sum + card.value, 0),
  }
}

export function makeFunnel(overrides: Partial<Funnel> & Pick<Funnel, 'id' | 'name'>): Funnel {
  return {
    publicId: overrides.id.toUpperCase(),
    description: null,
    color: '#047857',
    isDefault: false,
    order: 0,
    stageCount: overrides.stages?.length ?? 0,
    dealCount: 0,
    totalValue: 0,
    stages: [],
    createdAt: '2030-01-01T00:00:00Z',
    updatedAt: '2030-01-01T00:00:00Z',
    ...overrides,
  }
}

export const stages = {
  novo: makeStage({ id: 's-novo', name: 'Novo lead', order: 0, color: '#6B7280' }),
  proposta: makeStage({ id: 's-proposta', name: 'Proposta', order: 1, wipLimit: 2 }),
  negociacao: makeStage({ id: 's-negociacao', name: 'Negociação', order: 2, wipLimit: 5 }),
  ganho: makeStage({ id: 's-ganho', name: 'Ganho', order: 3, isWonStage: true, probability: 100, color: '#10B981' }),
  perdido: makeStage({ id: 's-perdido', name: 'Perdido', order: 4, isLostStage: true, probability: 0, color: '#EF4444' }),
}

/** Novo lead (a, b), Proposta full at 2/2 (c, d), Negociação (e), Ganho (w, won), Perdido empty. */
export function makeBoard(): Board {
  const columns = [
    makeColumn(stages.novo, [makeCard({ id: 'a', stageId: '', value: 1500, title: 'Site novo', contact: { id: 'ct-1', name: 'Ana Souza', phoneNumber: '5511999990001', avatarUrl: null }, noteCount: 2, attachmentCount: 1 }), makeCard({ id: 'b', stageId: '', value: 250.5 })]),
    makeColumn(stages.proposta, [makeCard({ id: 'c', stageId: '', value: 1000 }), makeCard({ id: 'd', stageId: '', value: 2000 })]),
    makeColumn(stages.negociacao, [makeCard({ id: 'e', stageId: '', value: 500 })]),
    makeColumn(stages.ganho, [makeCard({ id: 'w', stageId: '', value: 900, status: 'WON' })]),
    makeColumn(stages.perdido, []),
  ]
  const funnel = makeFunnel({
    id: 'f1',
    name: 'Vendas',
    isDefault: true,
    stages: columns.map((column) => column.stage),
    dealCount: 6,
    totalValue: 6150.5,
  })
  return { funnel, columns }
}

export function makeDeal(overrides: Partial<Deal> & Pick<Deal, 'id' | 'stageId'>): Deal {
  return {
    ...makeCard(overrides),
    description: null,
    clonedFromDealId: null,
    stage: { id: overrides.stageId, name: 'Novo lead', order: 0, funnel: { id: 'f1', name: 'Vendas' } },
    closedAt: null,
    lostReason: null,
    createdBy: { id: 'user-1', fullName: 'Ana Lima' },
    activities: [],
    createdAt: '2030-01-01T00:00:00Z',
    updatedAt: '2030-01-01T00:00:00Z',
    ...overrides,
  }
}

export const columnIds = (board: Board | undefined, stageId: string) =>
  board?.columns.find((column) => column.stage.id === stageId)?.deals.map((card) => card.id)
