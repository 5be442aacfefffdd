import { DndContext, DragOverlay } from '@dnd-kit/core'
import { useT } from '@/lib/i18n'
import type { Board } from '../api/types'
import { useBoardDrag } from '../hooks/use-board-drag'
import { useBoardMoves } from '../hooks/use-board-moves'
import { refusesDrop } from '../move'
import { BoardColumnView } from './board-column'
import { DealCardView, SortableDealCard } from './deal-card'
import { ReasonDialog } from './reason-dialog'

type Props = {
  board: Board
  canEdit: boolean
  /** The search's matches; undefined when not searching. */
  matches?: Set<string>
  onOpenDeal: (dealId: string) => void
  onNewDeal?: (stageId: string) => void
}

export function KanbanBoard({ board, canEdit, matches, onOpenDeal, onNewDeal }: Props) {
  const t = useT()
  const moves = useBoardMoves(board)
  const drag = useBoardDrag(board, moves.request)
  const activeId = drag.activeCard?.id
  const lostStage = board.columns.find((column) => column.stage.id === moves.pendingLost?.stageId)?.stage

  return (
    <>
      <DndContext {...drag.contextProps}>
        <div className="flex gap-3 overflow-x-auto pb-4" data-testid="kanban-board">
          {board.columns.map((column) => {
            const visible = matches ? column.deals.filter((card) => matches.has(card.id)) : column.deals
            return (
              <BoardColumnView
                key={column.stage.id}
                column={column}
                visibleIds={visible.map((card) => card.id)}
                refusing={!!activeId && refusesDrop(board, activeId, column.stage.id)}
                isOver={drag.overStageId === column.stage.id}
                onNewDeal={canEdit ? onNewDeal : undefined}
              >
                {visible.map((card) => (
                  <SortableDealCard
                    key={card.id}
                    card={card}
                    disabled={!canEdit}
                    highlighted={!!matches}
                    onOpen={onOpenDeal}
                    moveTargets={canEdit ? board.columns : undefined}
                    onMoveTo={(dealId, stageId) => moves.request(dealId, { stageId })}
                  />
                ))}
              </BoardColumnView>
            )
          })}
        </div>
        {/* No drop animation: it would fly the card back to where it started before the optimistic move lands. */}
        <DragOverlay dropAnimation={null}>{drag.activeCard && <DealCardView card={drag.activeCard} overlay />}</DragOverlay>
      </DndContext>
      <ReasonDialog
        open={!!moves.pendingLost}
        onOpenChange={(open) => !open && moves.cancelLost()}
        title={t('deals.lostTitle')}
        description={t('deals.lostMoveDescription', { stage: lostStage?.name ?? '' })}
        label={t('deals.lostReason')}
        confirmLabel={t('deals.markLost')}
        onConfirm={moves.confirmLost}
        testId="lost-reason"
      />
    </>
  )
}
