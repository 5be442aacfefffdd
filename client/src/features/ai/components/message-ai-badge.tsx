import { useState } from 'react'
import { Bot, ChevronDown, ChevronRight } from 'lucide-react'
import { useT } from '@/lib/i18n'
import type { AiMetadata } from '../api/types'
import { AiActionsList } from './ai-actions-list'

/** On the first message of an AI answer: an "IA" badge and, when the AI acted, its actions on demand. */
export function MessageAiBadge({ metadata }: { metadata: AiMetadata }) {
  const t = useT()
  const [open, setOpen] = useState(false)
  const actions = metadata.actions ?? []
  return (
    <div className="mt-1 grid gap-1" data-testid="inbox-message-ai">
      <div className="flex flex-wrap items-center gap-1.5 text-[0.68rem]">
        <span
          className="inline-flex items-center gap-0.5 rounded-full bg-violet-100 px-1.5 py-0.5 font-semibold text-violet-800"
          title={metadata.model ? t('ai.message.model', { model: metadata.model }) : undefined}
          data-testid="inbox-message-ai-badge"
        >
          <Bot className="size-3" aria-hidden />
          {t('ai.message.badge')}
        </span>
        {metadata.fallback && <span className="text-amber-700">{t('ai.message.fallback')}</span>}
        {actions.length > 0 && (
          <button
            type="button"
            className="inline-flex items-center gap-0.5 font-medium text-violet-800 hover:underline"
            aria-expanded={open}
            onClick={() => setOpen(!open)}
            data-testid="inbox-message-ai-actions-toggle"
          >
            {open ? <ChevronDown className="size-3" aria-hidden /> : <ChevronRight className="size-3" aria-hidden />}
            {t('ai.message.actions', { count: actions.length })}
          </button>
        )}
      </div>
      {open && actions.length > 0 && <AiActionsList actions={actions} className="min-w-56" />}
    </div>
  )
}
