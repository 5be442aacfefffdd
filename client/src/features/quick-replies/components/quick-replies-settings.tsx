import { useDeferredValue, useState } from 'react'
import { Pencil, Plus, Search } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Input } from '@/components/ui/input'
import { Spinner } from '@/components/ui/spinner'
import { hasCompany, useMe } from '@/features/auth/api/me'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { useQuickReplies, type QuickReply } from '../api/quick-replies'
import { DeleteQuickReplyDialog } from './delete-quick-reply-dialog'
import { QuickRepliesTable } from './quick-replies-table'
import { QuickReplyDialog } from './quick-reply-dialog'

export function QuickRepliesSettings() {
  const t = useT()
  const { data: me } = useMe()
  const [search, setSearch] = useState('')
  const replies = useQuickReplies(useDeferredValue(search))
  // The server enforces the same rule; here it only decides what to offer.
  const canManageCompany = me?.role === 'admin' || me?.role === 'coordinator'
  const canEdit = (reply: QuickReply) => reply.scope === 'personal' || canManageCompany
  const names = { 'company.name': hasCompany(me) ? me.company.name : '', 'user.name': me?.fullName ?? '' }

  return (
    <Card data-testid="quick-replies-page">
      <CardHeader className="flex-row flex-wrap items-start justify-between gap-3">
        <div className="grid gap-1">
          <CardTitle>{t('quickReplies.title')}</CardTitle>
          <CardDescription>{t('quickReplies.subtitle')}</CardDescription>
        </div>
        <QuickReplyDialog
          canChooseScope={canManageCompany}
          names={names}
          trigger={
            <Button data-testid="quick-reply-create">
              <Plus aria-hidden />
              {t('quickReplies.new')}
            </Button>
          }
        />
      </CardHeader>
      <CardContent className="grid grid-cols-1 gap-4">
        {me && !canManageCompany && <Alert tone="info">{t('quickReplies.companyReadOnly')}</Alert>}
        <div className="relative max-w-sm">
          <Search className="absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-slate-400" aria-hidden />
          <Input
            type="search"
            className="pl-8"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            placeholder={t('quickReplies.searchPlaceholder')}
            aria-label={t('common.search')}
            data-testid="quick-reply-search"
          />
        </div>
        {replies.isPending ? (
          <Spinner label={t('common.loading')} />
        ) : replies.isError ? (
          <Alert>{errorMessage(replies.error, t)}</Alert>
        ) : replies.data.length === 0 ? (
          <p className="py-6 text-center text-sm text-slate-500" data-testid="quick-replies-empty">
            {t(search.trim() ? 'quickReplies.noResults' : 'quickReplies.empty')}
          </p>
        ) : (
          <QuickRepliesTable
            replies={replies.data}
            canEdit={canEdit}
            actions={(reply) => (
              <>
                <QuickReplyDialog
                  reply={reply}
                  canChooseScope={canManageCompany}
                  names={names}
                  trigger={
                    <Button
                      variant="ghost"
                      size="icon"
                      aria-label={t('quickReplies.edit', { shortcut: reply.shortcut })}
                      data-testid="quick-reply-edit"
                    >
                      <Pencil aria-hidden />
                    </Button>
                  }
                />
                <DeleteQuickReplyDialog reply={reply} />
              </>
            )}
          />
        )}
      </CardContent>
    </Card>
  )
}
