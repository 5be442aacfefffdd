import { Bell, Check, CheckCheck } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { Popover, PopoverContent, PopoverTrigger } from '@/components/ui/popover'
import { Spinner } from '@/components/ui/spinner'
import { useFormat, useT } from '@/lib/i18n'
import { cn } from '@/lib/utils'
import { useMarkAllNotificationsRead, useMarkNotificationRead, useNotificationFeed } from '../api/notifications'

export function NotificationBell() {
  const t = useT()
  const format = useFormat()
  const feed = useNotificationFeed()
  const markRead = useMarkNotificationRead()
  const markAllRead = useMarkAllNotificationsRead()
  const unread = feed.data?.unreadCount ?? 0

  return (
    <Popover>
      <PopoverTrigger asChild>
        <Button
          variant="ghost"
          size="icon"
          className="relative"
          aria-label={t('notifications.open', { count: unread })}
          data-testid="notification-bell"
        >
          <Bell aria-hidden />
          {unread > 0 && (
            <span
              className="absolute -top-0.5 -right-0.5 flex min-w-5 items-center justify-center rounded-full bg-red-600 px-1 text-[0.65rem] leading-5 font-bold text-white"
              data-testid="notification-count"
            >
              {unread > 99 ? '99+' : unread}
            </span>
          )}
        </Button>
      </PopoverTrigger>
      <PopoverContent className="w-[min(24rem,calc(100vw-2rem))]" data-testid="notification-list">
        <div className="flex items-center justify-between border-b border-slate-200 px-4 py-3">
          <h2 className="text-sm font-semibold text-slate-900">{t('notifications.title')}</h2>
          <Button
            variant="link"
            size="sm"
            className="h-auto px-0"
            disabled={unread === 0}
            onClick={() => markAllRead.mutate()}
            data-testid="notifications-mark-all"
          >
            <CheckCheck aria-hidden />
            {t('notifications.markAllRead')}
          </Button>
        </div>
        {feed.isPending ? (
          <Spinner label={t('common.loading')} />
        ) : !feed.data?.items.length ? (
          <p className="p-6 text-center text-sm text-slate-500">{t('notifications.empty')}</p>
        ) : (
          <ul className="max-h-96 divide-y divide-slate-100 overflow-y-auto">
            {feed.data.items.map((item) => (
              <li
                key={item.id}
                className={cn('flex gap-3 px-4 py-3', !item.readAt && 'bg-emerald-50/60')}
                data-testid="notification-item"
              >
                <span
                  className={cn('mt-1.5 size-2 shrink-0 rounded-full', item.readAt ? 'bg-transparent' : 'bg-emerald-600')}
                  aria-hidden
                />
                <div className="min-w-0 flex-1">
                  <p className="text-sm font-medium text-slate-900">{item.title}</p>
                  {item.body && <p className="text-sm text-slate-600">{item.body}</p>}
                  <time className="text-xs text-slate-400" dateTime={item.createdAt}>
                    {format.dateTime(item.createdAt)}
                  </time>
                </div>
                {!item.readAt && (
                  <Button
                    variant="ghost"
                    size="icon"
                    className="size-7 shrink-0"
                    aria-label={t('notifications.markRead')}
                    title={t('notifications.markRead')}
                    onClick={() => markRead.mutate(item.id)}
                  >
                    <Check aria-hidden />
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
      </PopoverContent>
    </Popover>
  )
}
