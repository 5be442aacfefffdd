import { Link } from 'react-router'
import { MessagesSquare } from 'lucide-react'
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card'
import { useFormat, useT } from '@/lib/i18n'
import type { ContactConversation } from '../api/types'

export function ContactConversationsCard({ conversations }: { conversations: ContactConversation[] }) {
  const t = useT()
  const format = useFormat()
  return (
    <Card data-testid="contact-conversations">
      <CardHeader>
        <CardTitle>{t('contacts.conversations.title')}</CardTitle>
      </CardHeader>
      <CardContent>
        {conversations.length === 0 ? (
          <p className="text-sm text-slate-500">{t('contacts.conversations.empty')}</p>
        ) : (
          <ul className="grid gap-2">
            {conversations.map((conversation) => (
              <li key={conversation.id}>
                <Link
                  to={`/inbox/${encodeURIComponent(conversation.id)}`}
                  className="flex items-center gap-3 rounded-lg border border-slate-200 p-3 hover:border-emerald-300 hover:bg-emerald-50/40"
                  data-testid="contact-conversation"
                >
                  <MessagesSquare className="size-4 shrink-0 text-emerald-700" aria-hidden />
                  <span className="min-w-0 flex-1">
                    <span className="block truncate text-sm font-medium text-slate-900">
                      {conversation.instanceName ?? t('contacts.conversations.unknownInstance')}
                    </span>
                    <span className="text-xs text-slate-500">
                      {conversation.lastMessageAt
                        ? t('contacts.conversations.lastMessage', { when: format.dateTime(conversation.lastMessageAt) })
                        : t('contacts.conversations.noMessages')}
                    </span>
                  </span>
                  {conversation.unreadCount > 0 && (
                    <span
                      className="rounded-full bg-emerald-600 px-2 py-0.5 text-xs font-semibold text-white"
                      aria-label={t('contacts.conversations.unread', { count: conversation.unreadCount })}
                    >
                      {conversation.unreadCount}
                    </span>
                  )}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  )
}
