import { ArrowRightLeft, CircleDot, Copy, Paperclip, PencilLine, RotateCcw, StickyNote, Trophy } from 'lucide-react'
import type { LucideIcon } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { Spinner } from '@/components/ui/spinner'
import { errorMessage } from '@/lib/errors'
import { useFormat, useT } from '@/lib/i18n'
import { useDealActivities } from '../../api/deal-content'
import type { ActivityType } from '../../api/types'

const ICONS: Record<ActivityType, LucideIcon> = {
  CREATED: CircleDot,
  UPDATED: PencilLine,
  VALUE_CHANGED: PencilLine,
  STAGE_CHANGED: ArrowRightLeft,
  STATUS_CHANGED: Trophy,
  REOPENED: RotateCcw,
  NOTE_ADDED: StickyNote,
  ATTACHMENT_ADDED: Paperclip,
  ATTACHMENT_REMOVED: Paperclip,
  CLONED: Copy,
}

export function DealActivity({ dealId }: { dealId: string }) {
  const t = useT()
  const format = useFormat()
  const activities = useDealActivities(dealId)
  if (activities.isPending) return <Spinner label={t('common.loading')} />
  if (activities.isError) return <Alert>{errorMessage(activities.error, t)}</Alert>
  if (activities.data.length === 0) return <p className="text-sm text-slate-500">{t('deals.activityEmpty')}</p>
  return (
    <ol className="grid gap-3 border-l border-slate-200 pl-4" data-testid="deal-activity">
      {activities.data.map((activity) => {
        const Icon = ICONS[activity.type] ?? CircleDot
        const who = activity.createdBy?.fullName ?? (activity.actor ? t('deals.actor', { actor: activity.actor }) : null)
        return (
          <li key={activity.id} className="relative text-sm" data-testid="deal-activity-item" data-type={activity.type}>
            <span className="absolute top-0.5 -left-[1.6rem] flex size-5 items-center justify-center rounded-full bg-white text-slate-500 ring-1 ring-slate-200">
              <Icon className="size-3" aria-hidden />
            </span>
            <p className="text-slate-800">{activity.description}</p>
            <p className="text-xs text-slate-500">
              {who && <span>{who} · </span>}
              <time dateTime={activity.createdAt}>{format.dateTime(activity.createdAt)}</time>
            </p>
          </li>
        )
      })}
    </ol>
  )
}
