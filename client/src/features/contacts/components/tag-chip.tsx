import { X } from 'lucide-react'
import { cn } from '@/lib/utils'
import type { TagSummary } from '../api/types'
import { textOn } from '../format'

type Props = { tag: TagSummary; onRemove?: () => void; removeLabel?: string; disabled?: boolean; className?: string }

export function TagChip({ tag, onRemove, removeLabel, disabled, className }: Props) {
  return (
    <span
      className={cn('inline-flex max-w-full items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium', className)}
      style={{ backgroundColor: tag.color, color: textOn(tag.color) }}
      data-testid="contact-tag-chip"
      data-tag-id={tag.id}
    >
      <span className="truncate">{tag.name}</span>
      {onRemove && (
        <button
          type="button"
          onClick={onRemove}
          disabled={disabled}
          aria-label={removeLabel}
          className="-mr-0.5 rounded-full p-0.5 opacity-80 hover:opacity-100 disabled:opacity-40"
          data-testid="contact-tag-remove"
        >
          <X className="size-3" aria-hidden />
        </button>
      )}
    </span>
  )
}
