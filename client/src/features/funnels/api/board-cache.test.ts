import { describe, expect, it } from 'vitest'
import { columnIds, makeBoard, makeCard, stages } from '../test-fixtures'
import { applyDealUpdate, findDeal, isColumnFull, moveDealOptimistic, placeDeal, removeDeal } from './board-cache'
import type { Board } from './types'

const column = (board: Board, stageId: string) => board.columns.find((item) => item.stage.id === stageId)!

describe('board cache', () => {
  it('moves a card between columns and carries its value, count and WIP slot with it', () => {
    const board = makeBoard()
    const now = new Date('2030-02-01T10:00:00Z')
    const moved = moveDealOptimistic(board, 'a', stages.negociacao.id, 0, now)

    expect(columnIds(moved, stages.novo.id)).toEqual(['b'])
    expect(columnIds(moved, stages.negociacao.id)).toEqual(['a', 'e'])
    expect(column(moved, stages.novo.id)).toMatchObject({ total: 1, totalValue: 250.5, stage: { openDealCount: 1 } })
    expect(column(moved, stages.negociacao.id)).toMatchObject({ total: 2, totalValue: 2000, stage: { openDealCount: 2 } })
    expect(findDeal(moved, 'a')?.card).toMatchObject({ stageId: stages.negociacao.id, position: 0, stageEnteredAt: now.toISOString() })
    // The input is never mutated: a failed request can put the old board back.
    expect(columnIds(board, stages.novo.id)).toEqual(['a', 'b'])
  })

  it('reorders within a column without touching its totals', () => {
    const board = makeBoard()
    const moved = moveDealOptimistic(board, 'a', stages.novo.id, 1)
    expect(columnIds(moved, stages.novo.id)).toEqual(['b', 'a'])
    expect(column(moved, stages.novo.id)).toMatchObject({ total: 2, totalValue: 1750.5 })
    expect(findDeal(moved, 'a')?.card.stageEnteredAt).toBe(findDeal(board, 'a')?.card.stageEnteredAt)
  })

  it('marks a card won or lost when it enters such a column; closed cards take no WIP slot', () => {
    const won = moveDealOptimistic(makeBoard(), 'e', stages.ganho.id, 0)
    expect(findDeal(won, 'e')?.card.status).toBe('WON')
    expect(column(won, stages.ganho.id)).toMatchObject({ total: 2, totalValue: 1400, stage: { openDealCount: 0 } })
    expect(column(won, stages.negociacao.id).stage.openDealCount).toBe(0)
  })

  it('knows a column is full only for open stages at their limit', () => {
    const board = makeBoard()
    expect(isColumnFull(column(board, stages.proposta.id))).toBe(true)
    expect(isColumnFull(column(board, stages.negociacao.id))).toBe(false)
    expect(isColumnFull({ stage: { ...stages.ganho, wipLimit: 1, openDealCount: 1 } })).toBe(false)
  })

  it('applies a server copy idempotently and drops deals the board does not show', () => {
    const board = makeBoard()
    const incoming = { ...findDeal(board, 'b')!.card, stageId: stages.proposta.id, position: 1, value: 300 }
    const once = applyDealUpdate(board, incoming)
    const twice = applyDealUpdate(once, incoming)
    expect(twice).toEqual(once)
    expect(columnIds(once, stages.proposta.id)).toEqual(['c', 'b', 'd'])
    expect(column(once, stages.proposta.id)).toMatchObject({ total: 3, totalValue: 3300, stage: { openDealCount: 3 } })

    // A value change in place adjusts the column total.
    const cheaper = applyDealUpdate(once, { ...incoming, value: 100 })
    expect(column(cheaper, stages.proposta.id).totalValue).toBe(3100)

    // A deal's own answer (no index) keeps the card where it is.
    const renamed = applyDealUpdate(once, { ...incoming, position: null, title: 'Renomeado' })
    expect(columnIds(renamed, stages.proposta.id)).toEqual(['c', 'b', 'd'])
    expect(findDeal(renamed, 'b')?.card.title).toBe('Renomeado')

    // Won without moving (PUT status): the board shows only open deals outside won/lost columns.
    const closed = applyDealUpdate(once, { ...incoming, status: 'WON' })
    expect(findDeal(closed, 'b')).toBeUndefined()
    // Another funnel's deal is not this board's business.
    expect(findDeal(applyDealUpdate(board, { ...incoming, funnelId: 'f2' }), 'b')).toBeUndefined()
  })

  it('adds a new deal at its position and removes a deleted one', () => {
    const fresh = makeCard({ id: 'new', stageId: stages.novo.id, position: 0, value: 50 })
    const added = placeDeal(makeBoard(), fresh, 0)
    expect(columnIds(added, stages.novo.id)).toEqual(['new', 'a', 'b'])
    const removed = removeDeal(added, 'a')
    expect(columnIds(removed, stages.novo.id)).toEqual(['new', 'b'])
    expect(column(removed, stages.novo.id)).toMatchObject({ total: 2, totalValue: 300.5 })
    expect(removeDeal(removed, 'unknown')).toBe(removed)
  })
})
