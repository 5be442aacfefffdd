import { describe, expect, it } from 'vitest'
import { makeBoard, stages } from './test-fixtures'
import { planMove, refusesDrop } from './move'

describe('planMove', () => {
  const board = makeBoard()

  it('drops onto a card: the card takes its place; onto the column: the end', () => {
    expect(planMove(board, 'a', { stageId: stages.negociacao.id, overDealId: 'e' })).toEqual({
      kind: 'move',
      dealId: 'a',
      stageId: stages.negociacao.id,
      position: 0,
      needsLostReason: false,
    })
    expect(planMove(board, 'a', { stageId: stages.negociacao.id })).toMatchObject({ kind: 'move', position: 1 })
  })

  it('reorders within a column and ignores a drop back in place', () => {
    expect(planMove(board, 'a', { stageId: stages.novo.id, overDealId: 'b' })).toMatchObject({ kind: 'move', position: 1 })
    expect(planMove(board, 'b', { stageId: stages.novo.id })).toEqual({ kind: 'none' })
    expect(planMove(board, 'a', { stageId: stages.novo.id, overDealId: 'a' })).toEqual({ kind: 'none' })
  })

  it('refuses a full column up front, but not a reorder inside it', () => {
    expect(planMove(board, 'a', { stageId: stages.proposta.id })).toEqual({ kind: 'refused', reason: 'wip_limit', stage: board.columns[1].stage })
    expect(refusesDrop(board, 'a', stages.proposta.id)).toBe(true)
    expect(refusesDrop(board, 'c', stages.proposta.id)).toBe(false)
    expect(planMove(board, 'c', { stageId: stages.proposta.id, overDealId: 'd' })).toMatchObject({ kind: 'move', position: 1 })
  })

  it('asks for the loss reason when an open deal goes to a lost column', () => {
    expect(planMove(board, 'a', { stageId: stages.perdido.id })).toMatchObject({ kind: 'move', needsLostReason: true })
    expect(planMove(board, 'a', { stageId: stages.ganho.id })).toMatchObject({ kind: 'move', needsLostReason: false })
    // Closed deals are the server's to refuse (it explains how to reopen).
    expect(planMove(board, 'w', { stageId: stages.perdido.id })).toMatchObject({ kind: 'move', needsLostReason: false })
  })

  it('does nothing for unknown cards or columns', () => {
    expect(planMove(board, 'zzz', { stageId: stages.novo.id })).toEqual({ kind: 'none' })
    expect(planMove(board, 'a', { stageId: 'elsewhere' })).toEqual({ kind: 'none' })
  })
})
