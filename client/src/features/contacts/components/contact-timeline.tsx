import { createElement } from 'react'
import {
  Activity,
  AlarmClock,
  ArrowRightLeft,
  Ban,
  Bot,
  Handshake,
  MessageCircle,
  Pencil,
  ShieldCheck,
  StickyNote,
  Tag,
  Upload,
  UserPlus,
  type LucideIcon,
} from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card'
import { Spinner } from '@/components/ui/spinner'
import { aiTimelineText } from '@/features/ai/format'
import { errorMessage } from '@/lib/errors'
import { useFormat, useT } from '@/lib/i18n'
import { cn } from '@/lib/utils'
import { useTimeline } from '../api/timeline'
import type { TimelineItem } from '../api/types'

// Event types the server logs (contacts/history.py); anything new falls back to a neutral icon.
function iconOf(item: TimelineItem): LucideIcon {
  if (item.kind === 'message') return MessageCircle
  const type = item.type.toUpperCase()
  if (type.startsWith('TAG_')) return Tag
  if (type.includes('STAGE')) return ArrowRightLeft
  if (type.startsWith('DEAL_')) return Handshake
  if (type.startsWith('NOTE_')) return StickyNote
  if (type === 'BLOCKED') return Ban
  if (type === 'UNBLOCKED') return ShieldCheck
  if (type.startsWith('FOLLOWUP')) return AlarmClock
  if (type.startsWith('AI_')) return Bot
  if (type === 'CREATED') return UserPlus
  if (type === 'IMPORTED') return Upload
  if (type === 'UPDATED') return Pencil
  return Activity
}

const TONE: Record<TimelineItem['actor'], string> = {
  customer: 'bg-emerald-100 text-emerald-700',
  user: 'bg-sky-100 text-sky-700',
  ai: 'bg-violet-100 text-violet-700',
  automation: 'bg-amber-100 text-amber-700',
  system: 'bg-slate-100 text-slate-600',
}

export function ContactTimeline({ contactId }: { contactId: string }) {
  const t = useT()
  const timeline = useTimeline(contactId)
  const items = timeline.data?.pages.flatMap((page) => page.items) ?? []

  return (
    <Card data-testid="contact-timeline">
      <CardHeader>
        <CardTitle>{t('contacts.timeline.title')}</CardTitle>
      </CardHeader>
      <CardContent>
        {timeline.isPending ? (
          <Spinner label={t('common.loading')} />
        ) : timeline.isError && items.length === 0 ? (
          <Alert>{errorMessage(timeline.error, t)}</Alert>
        ) : items.length === 0 ? (
          <p className="text-sm text-slate-500" data-testid="contact-timeline-empty">
            {t('contacts.timeline.empty')}
          </p>
        ) : (
          <>
            <ol className="relative grid gap-4 border-l border-slate-200 pl-6">
              {items.map((item) => (
                <TimelineEntry key={item.id} item={item} />
              ))}
            </ol>
            {timeline.isFetchNextPageError && <Alert className="mt-3">{errorMessage(timeline.error, t)}</Alert>}
            {timeline.hasNextPage && (
              <div className="mt-4 flex justify-center">
                <Button
                  variant="outline"
                  size="sm"
                  loading={timeline.isFetchingNextPage}
                  onClick={() => void timeline.fetchNextPage()}
                  data-testid="contact-timeline-more"
                >
                  {t('contacts.timeline.more')}
                </Button>
              </div>
            )}
          </>
        )}
      </CardContent>
    </Card>
  )
}

function TimelineEntry({ item }: { item: TimelineItem }) {
  const t = useT()
  const format = useFormat()
  const icon = createElement(iconOf(item), { className: 'size-3.5', 'aria-hidden': true })
  const actor = item.user?.fullName ?? t(`contacts.actor.${item.actor}`)
  return (
    <li className="relative" data-testid="contact-timeline-item" data-kind={item.kind} data-type={item.type}>
      <span className={cn('absolute top-0 -left-[2.3rem] flex size-6 items-center justify-center rounded-full ring-4 ring-white', TONE[item.actor] ?? TONE.system)}>
        {icon}
      </span>
      <p className="text-sm whitespace-pre-wrap text-slate-800">{aiTimelineText(item, t) ?? item.summary}</p>
      <p className="mt-0.5 text-xs text-slate-500">
        {actor} · <time dateTime={item.at}>{format.dateTime(item.at)}</time>
      </p>
    </li>
  )
}
