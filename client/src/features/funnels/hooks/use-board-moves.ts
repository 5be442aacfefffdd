import { useState } from 'react'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { useMoveDeal, type MoveVariables } from '../api/deals'
import type { Board } from '../api/types'
import { planMove, type DropTarget } from '../move'

/**
 * Turns a drop (or a "move to" choice) into a request: refuses a full column at once, asks for
 * the loss reason before a move into a lost column, otherwise moves optimistically.
 */
export function useBoardMoves(board: Board) {
  const t = useT()
  const move = useMoveDeal(board.funnel.id)
  const [pendingLost, setPendingLost] = useState<MoveVariables | null>(null)

  function request(dealId: string, target: DropTarget): void {
    const plan = planMove(board, dealId, target)
    if (plan.kind === 'refused') {
      // The server's own wording for the same refusal.
      toast(t('funnels.wipRefused', { stage: plan.stage.name, limit: plan.stage.wipLimit ?? 0 }), 'error')
      return
    }
    if (plan.kind !== 'move') return
    const variables = { dealId, stageId: plan.stageId, position: plan.position }
    if (plan.needsLostReason) setPendingLost(variables)
    else move.mutate(variables)
  }

  function confirmLost(lostReason: string): void {
    if (pendingLost) move.mutate({ ...pendingLost, lostReason })
    setPendingLost(null)
  }

  return { request, pendingLost, confirmLost, cancelLost: () => setPendingLost(null) }
}
