import type { Board, BoardColumn, DealCard, Stage } from './types'

// Pure board transformations shared by the optimistic move, server answers and socket events.
// Column `total`/`totalValue` and the stage's `openDealCount` are server aggregates (they count
// cards beyond the 200 the board sends); they are adjusted by the card that leaves or enters,
// so the headers and WIP badges stay right without a refetch.

const cents = (value: number) => Math.round(value * 100) / 100

export const isClosingStage = (stage: Pick<Stage, 'isWonStage' | 'isLostStage'>) => stage.isWonStage || stage.isLostStage

/** The board holds OPEN deals everywhere and closed ones only in won/lost columns. */
export const showsOnBoard = (stage: Stage, card: Pick<DealCard, 'status'>) => card.status === 'OPEN' || isClosingStage(stage)

/** Only OPEN deals count against a WIP limit, and won/lost columns have none that matters. */
export const isColumnFull = ({ stage }: Pick<BoardColumn, 'stage'>) =>
  stage.wipLimit !== null && !isClosingStage(stage) && stage.openDealCount >= stage.wipLimit

export type Located = { card: DealCard; column: BoardColumn; index: number }

export function findDeal(board: Board, dealId: string): Located | undefined {
  for (const column of board.columns) {
    const index = column.deals.findIndex((card) => card.id === dealId)
    if (index >= 0) return { card: column.deals[index], column, index }
  }
  return undefined
}

// Positions are indexes in the column (the move endpoint's meaning); renumbering after every
// change keeps cached cards comparable with the positions events carry.
const renumber = (deals: DealCard[]) => deals.map((card, index) => (card.position === index ? card : { ...card, position: index }))

function withoutCard(column: BoardColumn, card: DealCard): BoardColumn {
  return {
    ...column,
    deals: renumber(column.deals.filter((item) => item.id !== card.id)),
    total: Math.max(0, column.total - 1),
    totalValue: cents(column.totalValue - card.value),
    stage: { ...column.stage, openDealCount: Math.max(0, column.stage.openDealCount - (card.status === 'OPEN' ? 1 : 0)) },
  }
}

function withCard(column: BoardColumn, card: DealCard, index: number): BoardColumn {
  const deals = [...column.deals]
  deals.splice(Math.max(0, Math.min(index, deals.length)), 0, card)
  return {
    ...column,
    deals: renumber(deals),
    total: column.total + 1,
    totalValue: cents(column.totalValue + card.value),
    stage: { ...column.stage, openDealCount: column.stage.openDealCount + (card.status === 'OPEN' ? 1 : 0) },
  }
}

const replaceColumn = (board: Board, next: BoardColumn): Board => ({
  ...board,
  columns: board.columns.map((column) => (column.stage.id === next.stage.id ? next : column)),
})

export function removeDeal(board: Board, dealId: string): Board {
  const found = findDeal(board, dealId)
  return found ? replaceColumn(board, withoutCard(found.column, found.card)) : board
}

/** Puts `card` at `index` of its stage's column (the end when the index is past it). */
export function placeDeal(board: Board, card: DealCard, index: number): Board {
  const without = removeDeal(board, card.id)
  const column = without.columns.find((item) => item.stage.id === card.stageId)
  return column ? replaceColumn(without, withCard(column, card, index)) : without
}

/**
 * A deal as the server now sees it (a socket event or a mutation's answer). Idempotent: the
 * same event twice, or the event for our own move, changes nothing the second time.
 */
export function applyDealUpdate(board: Board, incoming: DealCard): Board {
  const column = board.columns.find((item) => item.stage.id === incoming.stageId)
  if (incoming.funnelId !== board.funnel.id || !column || !showsOnBoard(column.stage, incoming)) {
    return removeDeal(board, incoming.id)
  }
  // Answers of PUT/move are whole Deals; the board keeps only the card's fields.
  const card = toCard(incoming)
  const found = findDeal(board, card.id)
  // No index (a deal's own answer, not a board event): a card already in that column stays put.
  const stays = found && found.column.stage.id === card.stageId ? found.index : Number.MAX_SAFE_INTEGER
  const position = card.position ?? stays
  if (found && found.column.stage.id === card.stageId && found.index === Math.min(position, found.column.deals.length - 1)) {
    const changed = { ...found.card, ...card }
    const deals = found.column.deals.map((item) => (item.id === card.id ? changed : item))
    const openDelta = (changed.status === 'OPEN' ? 1 : 0) - (found.card.status === 'OPEN' ? 1 : 0)
    return replaceColumn(board, {
      ...found.column,
      deals,
      totalValue: cents(found.column.totalValue - found.card.value + changed.value),
      stage: { ...found.column.stage, openDealCount: found.column.stage.openDealCount + openDelta },
    })
  }
  return placeDeal(board, card, position)
}

/** The card as it looks right after a drop, before the server answers. */
export function moveDealOptimistic(board: Board, dealId: string, stageId: string, index: number, now = new Date()): Board {
  const found = findDeal(board, dealId)
  const target = board.columns.find((column) => column.stage.id === stageId)
  if (!found || !target) return board
  const changedColumn = found.column.stage.id !== stageId
  const status = target.stage.isWonStage ? 'WON' : target.stage.isLostStage ? 'LOST' : found.card.status
  const card: DealCard = {
    ...found.card,
    stageId,
    status,
    stageEnteredAt: changedColumn ? now.toISOString() : found.card.stageEnteredAt,
  }
  return placeDeal(board, card, index)
}

const CARD_FIELDS = [
  'id',
  'publicId',
  'title',
  'value',
  'currency',
  'status',
  'priority',
  'stageId',
  'funnelId',
  'position',
  'contact',
  'expectedCloseDate',
  'stageEnteredAt',
  'lastActivityAt',
  'noteCount',
  'attachmentCount',
] as const satisfies readonly (keyof DealCard)[]

export function toCard(deal: DealCard): DealCard {
  const card = {} as Record<string, unknown>
  for (const field of CARD_FIELDS) card[field] = deal[field]
  return card as DealCard
}
