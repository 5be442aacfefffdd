import type { ReactNode } from 'react'
import { useDroppable } from '@dnd-kit/core'
import { SortableContext, verticalListSortingStrategy } from '@dnd-kit/sortable'
import { Ban, Plus, Trophy, XCircle } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { useT } from '@/lib/i18n'
import { cn } from '@/lib/utils'
import { isColumnFull } from '../api/board-cache'
import type { BoardColumn } from '../api/types'
import { useMoney } from '../format'

type Props = {
  column: BoardColumn
  /** Ids of the cards shown (all of them, or the search's matches). */
  visibleIds: string[]
  /** A card is being dragged and this column would refuse it. */
  refusing: boolean
  /** The dragged card is over this column. */
  isOver: boolean
  onNewDeal?: (stageId: string) => void
  children: ReactNode
}

const columnDropId = (stageId: string) => `stage:${stageId}`

export function BoardColumnView({ column, visibleIds, refusing, isOver, onNewDeal, children }: Props) {
  const t = useT()
  const money = useMoney()
  const { stage } = column
  const { setNodeRef } = useDroppable({ id: columnDropId(stage.id), data: { type: 'column', stageId: stage.id } })
  const full = isColumnFull(column)
  const hidden = column.total - column.deals.length
  return (
    <section
      ref={setNodeRef}
      data-testid="board-column"
      data-stage-id={stage.id}
      data-stage-name={stage.name}
      data-full={full || undefined}
      data-refusing={refusing || undefined}
      aria-label={stage.name}
      className={cn(
        'flex max-h-[calc(100dvh-15rem)] w-72 shrink-0 flex-col rounded-xl border border-slate-200 bg-slate-100/70 transition-colors',
        stage.isWonStage && 'border-emerald-200 bg-emerald-50',
        stage.isLostStage && 'border-rose-200 bg-rose-50',
        isOver && !refusing && 'border-emerald-500 ring-2 ring-emerald-500/40',
        refusing && 'border-red-400 bg-red-50/80',
        refusing && isOver && 'ring-2 ring-red-500/60',
      )}
    >
      <header className="grid gap-1 border-t-4 p-3 pb-2" style={{ borderTopColor: stage.color }}>
        <div className="flex min-h-6 items-center gap-2">
          {stage.isWonStage && <Trophy className="size-4 text-emerald-700" aria-hidden />}
          {stage.isLostStage && <XCircle className="size-4 text-rose-700" aria-hidden />}
          <h2 className="min-w-0 flex-1 truncate text-sm font-semibold text-slate-900" title={stage.name}>
            {stage.name}
          </h2>
          <span className="rounded-full bg-white px-2 text-xs font-medium text-slate-700" data-testid="column-count" title={t('funnels.dealsCount', { count: column.total })}>
            {column.total}
          </span>
          {onNewDeal && !stage.isWonStage && !stage.isLostStage && (
            <Button
              variant="ghost"
              size="icon"
              className="size-6"
              aria-label={t('funnels.newDealInStage', { stage: stage.name })}
              onClick={() => onNewDeal(stage.id)}
            >
              <Plus aria-hidden />
            </Button>
          )}
        </div>
        <div className="flex items-center justify-between gap-2 text-xs">
          <span className="font-medium text-slate-600" data-testid="column-total">
            {money(column.totalValue)}
          </span>
          {stage.wipLimit !== null && (
            <span
              data-testid="column-wip"
              data-full={full || undefined}
              title={t('funnels.wipTitle', { count: stage.openDealCount, limit: stage.wipLimit })}
              className={cn('rounded-full px-2 py-0.5 font-semibold', full ? 'bg-red-600 text-white' : 'bg-white text-slate-700')}
            >
              {stage.openDealCount}/{stage.wipLimit}
            </span>
          )}
        </div>
        {refusing && (
          <p className="flex items-center gap-1 text-xs font-semibold text-red-700" data-testid="column-full" role="status">
            <Ban className="size-3" aria-hidden />
            {t('funnels.columnFull')}
          </p>
        )}
      </header>
      <SortableContext id={stage.id} items={visibleIds} strategy={verticalListSortingStrategy}>
        <div className="flex min-h-24 flex-1 flex-col gap-2 overflow-y-auto p-2 pt-0">
          {children}
          {visibleIds.length === 0 && (
            <p className="rounded-lg border border-dashed border-slate-300 p-4 text-center text-xs text-slate-500">{t('funnels.emptyColumn')}</p>
          )}
          {hidden > 0 && <p className="p-1 text-center text-xs text-slate-500">{t('funnels.moreCards', { count: hidden })}</p>}
        </div>
      </SortableContext>
    </section>
  )
}
