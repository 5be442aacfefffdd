import { findDeal, isColumnFull } from './api/board-cache'
import type { Board, Stage } from './api/types'

/** Where a card was dropped: a column, and the card it was dropped onto, if any. */
export type DropTarget = { stageId: string; overDealId?: string }

export type MovePlan =
  | { kind: 'none' }
  | { kind: 'refused'; reason: 'wip_limit'; stage: Stage }
  | {
      kind: 'move'
      dealId: string
      stageId: string
      /** Index in the target column, sent to the API and used for the optimistic card. */
      position: number
      /** Moving an open deal into a lost column asks for the reason first. */
      needsLostReason: boolean
    }

/**
 * Decides what a drop means. Refuses up front what the server would refuse for sure (a full
 * column), so the user sees it while dragging instead of a round trip later; closed deals are
 * left to the server, which explains why they cannot move.
 */
export function planMove(board: Board, dealId: string, target: DropTarget): MovePlan {
  const source = findDeal(board, dealId)
  const column = board.columns.find((item) => item.stage.id === target.stageId)
  if (!source || !column) return { kind: 'none' }
  const overIndex = target.overDealId ? column.deals.findIndex((card) => card.id === target.overDealId) : -1

  if (column.stage.id === source.column.stage.id) {
    // arrayMove semantics: the card ends where the card it was dropped on was.
    const to = overIndex >= 0 ? overIndex : column.deals.length - 1
    if (to === source.index) return { kind: 'none' }
    return { kind: 'move', dealId, stageId: column.stage.id, position: to, needsLostReason: false }
  }

  if (isColumnFull(column)) return { kind: 'refused', reason: 'wip_limit', stage: column.stage }
  return {
    kind: 'move',
    dealId,
    stageId: column.stage.id,
    position: overIndex >= 0 ? overIndex : column.deals.length,
    needsLostReason: column.stage.isLostStage && source.card.status === 'OPEN',
  }
}

/** Whether a card being dragged may land in a column (for the "full" look while dragging). */
export function refusesDrop(board: Board, dealId: string, stageId: string): boolean {
  const source = findDeal(board, dealId)
  const column = board.columns.find((item) => item.stage.id === stageId)
  return !!source && !!column && source.column.stage.id !== stageId && isColumnFull(column)
}
