import { Badge } from '@/components/ui/badge'
import { useT } from '@/lib/i18n'
import { cn } from '@/lib/utils'
import type { QuickReply } from '../api/quick-replies'
import { optionId } from '../hooks/use-quick-reply-picker'

type Props = {
  open: boolean
  listId: string
  options: QuickReply[]
  activeIndex: number
  query: string
  state: 'loading' | 'error' | 'ready'
  empty: boolean
  onChoose: (reply: QuickReply) => void
  onHover: (index: number) => void
}

/** The list above the chat box; focus stays in the textarea, which drives it by keyboard. */
export function QuickReplyPicker({ open, listId, options, activeIndex, query, state, empty, onChoose, onHover }: Props) {
  const t = useT()
  if (!open) return null
  const notice =
    state === 'loading'
      ? t('common.loading')
      : state === 'error'
        ? t('quickReplies.loadFailed')
        : empty
          ? t('quickReplies.pickerEmpty')
          : options.length === 0
            ? t('quickReplies.pickerNoMatch', { query })
            : null
  return (
    <div className="relative">
      <div
        className="absolute right-0 bottom-0 left-0 z-30 mb-2 overflow-hidden rounded-lg border border-slate-200 bg-white shadow-lg"
        data-testid="quick-reply-picker"
      >
        <p className="border-b border-slate-100 px-3 py-1.5 text-xs text-slate-500">{t('quickReplies.pickerHint')}</p>
        {notice ? (
          <p className="px-3 py-3 text-sm text-slate-500" role="status">
            {notice}
          </p>
        ) : (
          <ul id={listId} role="listbox" aria-label={t('quickReplies.title')} className="max-h-64 overflow-y-auto py-1">
            {options.map((reply, index) => (
              <li
                key={reply.id}
                id={optionId(listId, index)}
                role="option"
                aria-selected={index === activeIndex}
                className={cn('cursor-pointer px-3 py-2', index === activeIndex && 'bg-emerald-50')}
                // Keep the focus (and the caret) in the textarea.
                onMouseDown={(event) => event.preventDefault()}
                onMouseEnter={() => onHover(index)}
                onClick={() => onChoose(reply)}
                data-testid="quick-reply-option"
              >
                <div className="flex items-center gap-2 text-sm">
                  <span className="font-mono font-semibold text-emerald-800">/{reply.shortcut}</span>
                  <span className="min-w-0 flex-1 truncate text-slate-700">{reply.title}</span>
                  {reply.scope === 'personal' && <Badge>{t('quickReplies.scopePersonal')}</Badge>}
                </div>
                <p className="line-clamp-1 text-xs text-slate-500">{reply.content}</p>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  )
}
