import { Link } from 'react-router'
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card'
import { Spinner } from '@/components/ui/spinner'
import { useFormat, useT } from '@/lib/i18n'
import { useRecentActivities, useRecentConversations } from '../api/dashboard'

export function RecentConversations() {
  const t = useT()
  const format = useFormat()
  const { data, isPending } = useRecentConversations()
  return (
    <Card data-testid="recent-conversations">
      <CardHeader>
        <CardTitle>{t('dashboard.recentConversations')}</CardTitle>
      </CardHeader>
      <CardContent>
        {isPending ? <Spinner label={t('common.loading')} /> : null}
        {data && data.conversations.length === 0 ? <p className="text-sm text-slate-500">{t('dashboard.noConversations')}</p> : null}
        <ul className="divide-y divide-slate-100">
          {data?.conversations.map((conversation) => (
            <li key={conversation.id}>
              <Link to={`/inbox/${conversation.id}`} className="flex items-center justify-between gap-3 py-2 hover:bg-slate-50">
                <span className="min-w-0">
                  <span className="block truncate text-sm font-medium text-slate-900">{conversation.contactName}</span>
                  <span className="block truncate text-xs text-slate-500">{conversation.lastMessage?.messageText ?? ''}</span>
                </span>
                <span className="flex shrink-0 items-center gap-2 text-xs text-slate-500">
                  {conversation.lastMessageAt ? format.dateTime(conversation.lastMessageAt) : null}
                  {conversation.unreadCount > 0 ? (
                    <span className="rounded-full bg-emerald-600 px-2 py-0.5 font-semibold text-white">{conversation.unreadCount}</span>
                  ) : null}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      </CardContent>
    </Card>
  )
}

export function RecentActivities() {
  const t = useT()
  const format = useFormat()
  const { data, isPending } = useRecentActivities()
  return (
    <Card data-testid="recent-activities">
      <CardHeader>
        <CardTitle>{t('dashboard.recentActivities')}</CardTitle>
      </CardHeader>
      <CardContent>
        {isPending ? <Spinner label={t('common.loading')} /> : null}
        {data && data.length === 0 ? <p className="text-sm text-slate-500">{t('dashboard.noActivities')}</p> : null}
        <ul className="divide-y divide-slate-100">
          {data?.map((activity) => (
            <li key={activity.id} className="flex items-center justify-between gap-3 py-2 text-sm">
              <span className="min-w-0 truncate">
                <span className="font-medium text-slate-900">{activity.subject ?? '—'}</span>{' '}
                <span className="text-slate-500">{activityLabel(activity.type, t)}</span>
              </span>
              <span className="shrink-0 text-xs text-slate-500">
                {activity.contactId ? (
                  <Link className="text-emerald-700 hover:underline" to={`/contacts/${activity.contactId}`}>
                    {format.dateTime(activity.createdAt)}
                  </Link>
                ) : (
                  format.dateTime(activity.createdAt)
                )}
              </span>
            </li>
          ))}
        </ul>
      </CardContent>
    </Card>
  )
}

const ACTIVITY_KEYS = {
  CREATED: 'dashboard.activity.CREATED',
  TAG_ADDED: 'dashboard.activity.TAG_ADDED',
  TAG_REMOVED: 'dashboard.activity.TAG_REMOVED',
  NOTE_ADDED: 'dashboard.activity.NOTE_ADDED',
  STAGE_CHANGED: 'dashboard.activity.STAGE_CHANGED',
  DEAL_CREATED: 'dashboard.activity.DEAL_CREATED',
  DEAL_STAGE_CHANGED: 'dashboard.activity.DEAL_STAGE_CHANGED',
  DEAL_STATUS_CHANGED: 'dashboard.activity.DEAL_STATUS_CHANGED',
  BLOCKED: 'dashboard.activity.BLOCKED',
  UNBLOCKED: 'dashboard.activity.UNBLOCKED',
  AI_HANDOVER: 'dashboard.activity.AI_HANDOVER',
} as const

function activityLabel(type: string, t: ReturnType<typeof useT>): string {
  const key = ACTIVITY_KEYS[type as keyof typeof ACTIVITY_KEYS]
  return key ? t(key) : type.toLowerCase().replaceAll('_', ' ')
}
