import type { ReactNode } from 'react'
import { Badge } from '@/components/ui/badge'
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { useT } from '@/lib/i18n'
import type { QuickReply } from '../api/quick-replies'

type Props = {
  replies: QuickReply[]
  canEdit: (reply: QuickReply) => boolean
  actions: (reply: QuickReply) => ReactNode
}

export function QuickRepliesTable({ replies, canEdit, actions }: Props) {
  const t = useT()
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>{t('quickReplies.shortcut')}</TableHead>
          <TableHead>{t('quickReplies.titleLabel')}</TableHead>
          <TableHead>{t('quickReplies.scope')}</TableHead>
          <TableHead className="text-right">{t('quickReplies.actions')}</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {replies.map((reply) => (
          <TableRow key={reply.id} data-testid="quick-reply-row">
            <TableCell className="font-mono font-semibold whitespace-nowrap text-emerald-800">/{reply.shortcut}</TableCell>
            <TableCell className="max-w-md">
              <p className="font-medium text-slate-900">{reply.title}</p>
              <p className="line-clamp-2 text-xs whitespace-pre-wrap text-slate-500">{reply.content}</p>
            </TableCell>
            <TableCell>
              <Badge tone={reply.scope === 'company' ? 'info' : 'neutral'}>
                {t(reply.scope === 'company' ? 'quickReplies.scopeCompany' : 'quickReplies.scopePersonal')}
              </Badge>
            </TableCell>
            <TableCell className="text-right whitespace-nowrap">{canEdit(reply) && actions(reply)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  )
}
