import type { CSSProperties, Ref } from 'react'
import { useSortable } from '@dnd-kit/sortable'
import { CSS } from '@dnd-kit/utilities'
import { CalendarClock, GripVertical, MoreHorizontal, Paperclip, StickyNote, User } from 'lucide-react'
import { Badge } from '@/components/ui/badge'
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu'
import { useT } from '@/lib/i18n'
import { cn } from '@/lib/utils'
import { isColumnFull } from '../api/board-cache'
import type { BoardColumn, DealCard } from '../api/types'
import { daysSince, useMoney } from '../format'
import { PriorityBadge, StatusBadge } from './deal-badges'

type CardProps = {
  card: DealCard
  highlighted?: boolean
  onOpen?: (dealId: string) => void
  /** Present when the user may move cards: the non-drag alternative to dragging. */
  moveTargets?: BoardColumn[]
  onMoveTo?: (dealId: string, stageId: string) => void
}

type DragProps = {
  listeners?: ReturnType<typeof useSortable>['listeners']
  nodeRef?: Ref<HTMLElement>
  handleRef?: Ref<HTMLButtonElement>
  handleProps?: Record<string, unknown>
  style?: CSSProperties
  dragging?: boolean
  overlay?: boolean
}

/** The card as shown in a column and under the pointer while dragging. */
export function DealCardView(props: CardProps & DragProps) {
  const { card, highlighted, onOpen, moveTargets, onMoveTo, listeners, nodeRef, handleRef, handleProps, style, dragging, overlay } = props
  const t = useT()
  const money = useMoney()
  const days = daysSince(card.stageEnteredAt)
  const contactName = card.contact?.name ?? card.contact?.phoneNumber
  return (
    <article
      ref={nodeRef}
      style={style}
      data-testid={overlay ? 'deal-card-overlay' : 'deal-card'}
      data-deal-id={card.id}
      data-status={card.status}
      data-highlighted={highlighted || undefined}
      onClick={() => onOpen?.(card.id)}
      className={cn(
        'group relative grid cursor-pointer gap-1.5 rounded-lg border border-slate-200 bg-white p-3 text-sm shadow-sm transition-shadow hover:shadow-md',
        card.status !== 'OPEN' && 'bg-slate-50',
        highlighted && 'ring-2 ring-amber-400',
        dragging && 'opacity-40',
        overlay && 'rotate-2 cursor-grabbing shadow-xl',
      )}
      {...listeners}
    >
      <div className="flex items-start gap-1">
        {handleProps && (
          <button
            type="button"
            ref={handleRef}
            className="-ml-1 cursor-grab rounded p-0.5 text-slate-400 hover:text-slate-700 focus-visible:ring-2 focus-visible:ring-emerald-600 focus-visible:outline-none"
            aria-label={t('deals.dragHandle', { title: card.title })}
            onClick={(event) => event.stopPropagation()}
            {...handleProps}
          >
            <GripVertical className="size-4" aria-hidden />
          </button>
        )}
        <button
          type="button"
          className="min-w-0 flex-1 text-left font-medium text-slate-900 hover:underline focus-visible:underline focus-visible:outline-none"
          data-testid="deal-card-title"
        >
          <span className="line-clamp-2 break-words">{card.title}</span>
        </button>
        {moveTargets && onMoveTo && <MoveMenu card={card} targets={moveTargets} onMoveTo={onMoveTo} />}
      </div>
      <div className="flex flex-wrap items-center gap-1.5">
        <span className="font-semibold text-emerald-800" data-testid="deal-card-value">
          {money(card.value, card.currency)}
        </span>
        {card.priority && <PriorityBadge priority={card.priority} />}
        {card.status !== 'OPEN' && <StatusBadge status={card.status} />}
      </div>
      {contactName && (
        <p className="flex items-center gap-1 truncate text-xs text-slate-600" data-testid="deal-card-contact">
          <User className="size-3 shrink-0" aria-hidden />
          <span className="truncate">{contactName}</span>
        </p>
      )}
      <div className="flex items-center gap-3 text-xs text-slate-500">
        <span className="flex items-center gap-1" title={t('deals.daysInStageLong', { days })} data-testid="deal-card-days">
          <CalendarClock className="size-3" aria-hidden />
          {t('deals.daysInStage', { days })}
        </span>
        {card.noteCount > 0 && (
          <span className="flex items-center gap-1" title={t('deals.notesCount', { count: card.noteCount })}>
            <StickyNote className="size-3" aria-hidden />
            <span className="sr-only">{t('deals.notesCount', { count: card.noteCount })}</span>
            <span aria-hidden>{card.noteCount}</span>
          </span>
        )}
        {card.attachmentCount > 0 && (
          <span className="flex items-center gap-1" title={t('deals.attachmentsCount', { count: card.attachmentCount })}>
            <Paperclip className="size-3" aria-hidden />
            <span className="sr-only">{t('deals.attachmentsCount', { count: card.attachmentCount })}</span>
            <span aria-hidden>{card.attachmentCount}</span>
          </span>
        )}
      </div>
    </article>
  )
}

function MoveMenu({ card, targets, onMoveTo }: { card: DealCard; targets: BoardColumn[]; onMoveTo: (dealId: string, stageId: string) => void }) {
  const t = useT()
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <button
          type="button"
          className="rounded p-0.5 text-slate-400 hover:text-slate-700 focus-visible:ring-2 focus-visible:ring-emerald-600 focus-visible:outline-none"
          aria-label={t('deals.moveMenu', { title: card.title })}
          data-testid="deal-card-move"
          onClick={(event) => event.stopPropagation()}
          onPointerDown={(event) => event.stopPropagation()}
        >
          <MoreHorizontal className="size-4" aria-hidden />
        </button>
      </DropdownMenuTrigger>
      {/* Portalled, yet React still bubbles its events to the card: no click opens it, no press drags it. */}
      <DropdownMenuContent
        align="end"
        onClick={(event) => event.stopPropagation()}
        onPointerDown={(event) => event.stopPropagation()}
        onKeyDown={(event) => event.stopPropagation()}
      >
        <DropdownMenuLabel>{t('deals.moveTo')}</DropdownMenuLabel>
        {targets
          .filter((column) => column.stage.id !== card.stageId)
          .map((column) => (
            <DropdownMenuItem
              key={column.stage.id}
              disabled={isColumnFull(column)}
              onSelect={() => onMoveTo(card.id, column.stage.id)}
              data-testid="deal-move-target"
              data-stage-id={column.stage.id}
            >
              <span className="size-2 rounded-full" style={{ backgroundColor: column.stage.color }} aria-hidden />
              {column.stage.name}
              {isColumnFull(column) && <Badge tone="danger">{t('funnels.full')}</Badge>}
            </DropdownMenuItem>
          ))}
      </DropdownMenuContent>
    </DropdownMenu>
  )
}

type SortableCardProps = CardProps & { disabled: boolean }

/** A card the user can drag within and between columns (pointer anywhere; keyboard on the handle). */
export function SortableDealCard({ disabled, ...props }: SortableCardProps) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id: props.card.id,
    data: { type: 'card', stageId: props.card.stageId },
    disabled,
  })
  const style = { transform: CSS.Translate.toString(transform), transition }
  return (
    <DealCardView
      {...props}
      nodeRef={setNodeRef}
      handleRef={setActivatorNodeRef}
      handleProps={disabled ? undefined : { ...attributes }}
      style={style}
      dragging={isDragging}
      listeners={disabled ? undefined : listeners}
    />
  )
}
