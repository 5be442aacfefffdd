import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { useFormat, useT } from '@/lib/i18n'
import type { Invitation } from '../api/invitations'
import { RevokeInvitationDialog } from './revoke-invitation-dialog'
import { RoleBadge } from './role-badge'

type InvitationsTableProps = { invitations: Invitation[]; canManage: boolean }

export function InvitationsTable({ invitations, canManage }: InvitationsTableProps) {
  const t = useT()
  const format = useFormat()
  if (invitations.length === 0) {
    return (
      <p className="p-6 text-center text-sm text-slate-500" data-testid="invitations-empty">
        {t('team.invitationsEmpty')}
      </p>
    )
  }
  return (
    <Table data-testid="invitations-table">
      <TableHeader>
        <TableRow>
          <TableHead>{t('team.col.email')}</TableHead>
          <TableHead>{t('team.col.role')}</TableHead>
          <TableHead>{t('team.col.invitedBy')}</TableHead>
          <TableHead>{t('team.col.expires')}</TableHead>
          {canManage && <TableHead className="text-right">{t('team.col.actions')}</TableHead>}
        </TableRow>
      </TableHeader>
      <TableBody>
        {invitations.map((invitation) => (
          <TableRow key={invitation.id} data-testid="invitation-row" data-email={invitation.email}>
            <TableCell className="font-medium text-slate-900">{invitation.email}</TableCell>
            <TableCell>
              <RoleBadge role={invitation.role} />
            </TableCell>
            <TableCell>{invitation.invitedBy?.fullName || '—'}</TableCell>
            <TableCell>
              <time dateTime={invitation.expiresAt} title={format.dateTime(invitation.expiresAt)}>
                {format.date(invitation.expiresAt)}
              </time>
            </TableCell>
            {canManage && (
              <TableCell className="text-right whitespace-nowrap">
                <RevokeInvitationDialog invitation={invitation} />
              </TableCell>
            )}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  )
}
