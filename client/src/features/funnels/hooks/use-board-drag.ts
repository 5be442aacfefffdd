import { useState } from 'react'
import {
  closestCorners,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  useSensor,
  useSensors,
  type Announcements,
  type CollisionDetection,
  type DragEndEvent,
  type DragOverEvent,
  type DragStartEvent,
  type DroppableContainer,
  type Over,
} from '@dnd-kit/core'
import { sortableKeyboardCoordinates } from '@dnd-kit/sortable'
import { useT } from '@/lib/i18n'
import { findDeal } from '../api/board-cache'
import type { Board } from '../api/types'
import type { DropTarget } from '../move'

type DropData = { type?: 'card' | 'column'; stageId?: string }

function targetOf(over: Over | null): DropTarget | null {
  const data = over?.data.current as DropData | undefined
  if (!over || !data?.stageId) return null
  return data.type === 'card' ? { stageId: data.stageId, overDealId: String(over.id) } : { stageId: data.stageId }
}

// Under the pointer a card wins over the column around it (it gives the drop position);
// the keyboard has no pointer, so the closest droppable is taken.
const collisionDetection: CollisionDetection = (args) => {
  const hits = pointerWithin(args)
  if (hits.length === 0) return closestCorners(args)
  const cards = hits.filter((hit) => {
    const container = hit.data?.droppableContainer as DroppableContainer | undefined
    return (container?.data.current as DropData | undefined)?.type === 'card'
  })
  return cards.length > 0 ? cards : hits
}

/** Drag state and dnd-kit wiring for the board; the drop itself goes to `onDrop`. */
export function useBoardDrag(board: Board, onDrop: (dealId: string, target: DropTarget) => void) {
  const t = useT()
  const [activeId, setActiveId] = useState<string | null>(null)
  const [overStageId, setOverStageId] = useState<string | null>(null)
  const sensors = useSensors(
    // A few pixels of travel before a drag starts, so a click still opens the card.
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  )

  const reset = () => {
    setActiveId(null)
    setOverStageId(null)
  }
  const titleOf = (id: string | number) => findDeal(board, String(id))?.card.title ?? ''
  const stageName = (over: Over | null) => {
    const target = targetOf(over)
    return board.columns.find((column) => column.stage.id === target?.stageId)?.stage.name ?? ''
  }

  const announcements: Announcements = {
    onDragStart: ({ active }) => t('funnels.dnd.picked', { title: titleOf(active.id) }),
    onDragOver: ({ active, over }) =>
      over ? t('funnels.dnd.over', { title: titleOf(active.id), stage: stageName(over) }) : undefined,
    onDragEnd: ({ active, over }) =>
      over ? t('funnels.dnd.dropped', { title: titleOf(active.id), stage: stageName(over) }) : t('funnels.dnd.cancelled', { title: titleOf(active.id) }),
    onDragCancel: ({ active }) => t('funnels.dnd.cancelled', { title: titleOf(active.id) }),
  }

  return {
    activeCard: activeId ? findDeal(board, activeId)?.card : undefined,
    overStageId,
    contextProps: {
      sensors,
      collisionDetection,
      accessibility: { announcements, screenReaderInstructions: { draggable: t('funnels.dnd.instructions') } },
      onDragStart: ({ active }: DragStartEvent) => setActiveId(String(active.id)),
      onDragOver: ({ over }: DragOverEvent) => setOverStageId(targetOf(over)?.stageId ?? null),
      onDragEnd: ({ active, over }: DragEndEvent) => {
        reset()
        const target = targetOf(over)
        if (target) onDrop(String(active.id), target)
      },
      onDragCancel: reset,
    },
  }
}
