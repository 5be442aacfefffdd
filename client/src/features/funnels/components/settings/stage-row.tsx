import { useState } from 'react'
import { useSortable } from '@dnd-kit/sortable'
import { CSS } from '@dnd-kit/utilities'
import { ArrowDown, ArrowUp, GripVertical, Pencil, Trash2 } from 'lucide-react'
import { ConfirmDestructiveDialog } from '@/components/confirm-destructive-dialog'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { useT } from '@/lib/i18n'
import { cn } from '@/lib/utils'
import { useDeleteStage, useUpdateStage } from '../../api/funnels'
import type { Stage } from '../../api/types'
import { StageForm } from './stage-form'

type Props = {
  funnelId: string
  stage: Stage
  isFirst: boolean
  isLast: boolean
  onlyStage: boolean
  onMoveUp: () => void
  onMoveDown: () => void
}

export function StageRow({ funnelId, stage, isFirst, isLast, onlyStage, onMoveUp, onMoveDown }: Props) {
  const t = useT()
  const [editing, setEditing] = useState(false)
  const update = useUpdateStage(funnelId)
  const remove = useDeleteStage(funnelId)
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: stage.id })

  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      className={cn('grid gap-2 rounded-lg border border-slate-200 bg-white p-2', isDragging && 'z-10 shadow-lg')}
      data-testid="stage-row"
      data-stage-id={stage.id}
    >
      <div className="flex items-center gap-2">
        <button
          type="button"
          ref={setActivatorNodeRef}
          className="cursor-grab rounded p-1 text-slate-400 hover:text-slate-700 focus-visible:ring-2 focus-visible:ring-emerald-600 focus-visible:outline-none"
          aria-label={t('funnels.dragStage', { name: stage.name })}
          {...attributes}
          {...listeners}
        >
          <GripVertical className="size-4" aria-hidden />
        </button>
        <span className="size-3 shrink-0 rounded-full" style={{ backgroundColor: stage.color }} aria-hidden />
        <span className="min-w-0 flex-1 truncate text-sm font-medium text-slate-900">{stage.name}</span>
        {stage.isWonStage && <Badge tone="success">{t('funnels.kind.won')}</Badge>}
        {stage.isLostStage && <Badge tone="danger">{t('funnels.kind.lost')}</Badge>}
        <Badge>{t('funnels.probabilityShort', { value: stage.probability })}</Badge>
        {stage.wipLimit !== null && <Badge tone="warning">{t('funnels.wipShort', { limit: stage.wipLimit })}</Badge>}
        <Button variant="ghost" size="icon" className="size-7" disabled={isFirst} onClick={onMoveUp} aria-label={t('funnels.moveUp', { name: stage.name })} data-testid="stage-move-up">
          <ArrowUp aria-hidden />
        </Button>
        <Button variant="ghost" size="icon" className="size-7" disabled={isLast} onClick={onMoveDown} aria-label={t('funnels.moveDown', { name: stage.name })} data-testid="stage-move-down">
          <ArrowDown aria-hidden />
        </Button>
        <Button variant="ghost" size="icon" className="size-7" onClick={() => setEditing(true)} aria-label={t('funnels.editStage', { name: stage.name })} data-testid="stage-edit">
          <Pencil aria-hidden />
        </Button>
        {!onlyStage && (
          <ConfirmDestructiveDialog
            icon={<Trash2 aria-hidden />}
            title={t('funnels.deleteStage', { name: stage.name })}
            description={t('funnels.deleteStageBody', { count: stage.dealCount })}
            confirmLabel={t('funnels.deleteStageConfirm')}
            testId="stage-delete"
            pending={remove.isPending}
            error={remove.error}
            onReset={remove.reset}
            onConfirm={(close) => remove.mutate(stage.id, { onSuccess: close })}
          />
        )}
      </div>
      {editing && (
        <StageForm
          stage={stage}
          pending={update.isPending}
          error={update.error}
          onCancel={() => {
            setEditing(false)
            update.reset()
          }}
          onSubmit={(input) => update.mutate({ stageId: stage.id, input }, { onSuccess: () => setEditing(false) })}
        />
      )}
    </li>
  )
}
