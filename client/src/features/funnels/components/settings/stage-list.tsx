import { useState } from 'react'
import { closestCenter, DndContext, KeyboardSensor, PointerSensor, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core'
import { arrayMove, SortableContext, sortableKeyboardCoordinates, verticalListSortingStrategy } from '@dnd-kit/sortable'
import { Plus } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { useCreateStage, useReorderStages } from '../../api/funnels'
import type { Funnel } from '../../api/types'
import { StageForm } from './stage-form'
import { StageRow } from './stage-row'

/** The funnel's stages in board order: drag (or the arrow buttons) to reorder. */
export function StageList({ funnel }: { funnel: Funnel }) {
  const t = useT()
  const reorder = useReorderStages(funnel.id)
  const create = useCreateStage(funnel.id)
  const [adding, setAdding] = useState(false)
  const stages = [...funnel.stages].sort((a, b) => a.order - b.order)
  const ids = stages.map((stage) => stage.id)
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  )

  function send(next: string[]) {
    reorder.mutate(next, { onError: (error) => toast(errorMessage(error, t), 'error') })
  }

  function move(from: number, to: number) {
    if (to < 0 || to >= ids.length) return
    send(arrayMove(ids, from, to))
  }

  function onDragEnd({ active, over }: DragEndEvent) {
    if (!over || active.id === over.id) return
    move(ids.indexOf(String(active.id)), ids.indexOf(String(over.id)))
  }

  return (
    <section className="grid gap-3" data-testid="stage-list">
      <div className="flex items-center justify-between gap-2">
        <h3 className="font-semibold text-slate-900">{t('funnels.stages')}</h3>
        {!adding && (
          <Button size="sm" variant="outline" onClick={() => setAdding(true)} data-testid="stage-add">
            <Plus aria-hidden />
            {t('funnels.addStage')}
          </Button>
        )}
      </div>
      <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
        <SortableContext items={ids} strategy={verticalListSortingStrategy}>
          <ol className="grid gap-2">
            {stages.map((stage, index) => (
              <StageRow
                key={stage.id}
                funnelId={funnel.id}
                stage={stage}
                isFirst={index === 0}
                isLast={index === stages.length - 1}
                onlyStage={stages.length === 1}
                onMoveUp={() => move(index, index - 1)}
                onMoveDown={() => move(index, index + 1)}
              />
            ))}
          </ol>
        </SortableContext>
      </DndContext>
      {adding && (
        <StageForm
          pending={create.isPending}
          error={create.error}
          onCancel={() => {
            setAdding(false)
            create.reset()
          }}
          onSubmit={(input) =>
            create.mutate(input, {
              onSuccess: () => {
                setAdding(false)
                create.reset()
              },
            })
          }
        />
      )}
      {reorder.isError && <Alert>{errorMessage(reorder.error, t)}</Alert>}
    </section>
  )
}
