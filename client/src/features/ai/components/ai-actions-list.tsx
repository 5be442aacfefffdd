import { Badge } from '@/components/ui/badge'
import { useT } from '@/lib/i18n'
import { cn } from '@/lib/utils'
import type { AiAction } from '../api/types'
import { actionStatusLabel, actionTitle, levelName } from '../format'

const TONE: Record<string, 'success' | 'danger' | 'warning' | 'info'> = {
  done: 'success',
  failed: 'danger',
  refused: 'warning',
  simulated: 'info',
}

/** The AI's tool calls: what, with which result, why, at which autonomy level. */
export function AiActionsList({ actions, className }: { actions: AiAction[]; className?: string }) {
  const t = useT()
  return (
    <ul className={cn('grid gap-2', className)} data-testid="ai-actions">
      {actions.map((action, index) => (
        <li
          key={`${action.tool}-${action.at ?? ''}-${index}`}
          className="rounded-md border border-slate-200 bg-white px-2.5 py-1.5 text-xs text-slate-700"
          data-testid="ai-action"
          data-tool={action.tool}
          data-status={action.status}
        >
          <div className="flex flex-wrap items-center gap-1.5">
            <span className="font-medium text-slate-900">{actionTitle(action, t)}</span>
            <Badge tone={TONE[action.status] ?? 'neutral'}>{actionStatusLabel(action.status, t)}</Badge>
            <span className="text-slate-500">{t('ai.levelShort', { level: levelName(action.level, t) })}</span>
          </div>
          {action.reason && <p className="mt-0.5">{t('ai.reasonLine', { reason: action.reason })}</p>}
          {action.detail && <p className="mt-0.5 text-slate-500">{action.detail}</p>}
        </li>
      ))}
    </ul>
  )
}
