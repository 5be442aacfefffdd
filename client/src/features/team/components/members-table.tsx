import { Badge } from '@/components/ui/badge'
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { PERMISSION_KEYS } from '@/types/api'
import { useT } from '@/lib/i18n'
import type { Member } from '../api/members'
import { EditMemberDialog } from './edit-member-dialog'
import { RemoveMemberDialog } from './remove-member-dialog'
import { RoleBadge } from './role-badge'

type MembersTableProps = { members: Member[]; canManage: boolean; currentUserId?: string }

export function MembersTable({ members, canManage, currentUserId }: MembersTableProps) {
  const t = useT()
  if (members.length === 0) return <p className="p-6 text-center text-sm text-slate-500">{t('team.empty')}</p>
  return (
    <Table data-testid="members-table">
      <TableHeader>
        <TableRow>
          <TableHead>{t('team.col.name')}</TableHead>
          <TableHead>{t('team.col.email')}</TableHead>
          <TableHead>{t('team.col.role')}</TableHead>
          <TableHead>{t('team.col.permissions')}</TableHead>
          {canManage && <TableHead className="text-right">{t('team.col.actions')}</TableHead>}
        </TableRow>
      </TableHeader>
      <TableBody>
        {members.map((member) => {
          const granted = PERMISSION_KEYS.filter((key) => member.permissions[key])
          return (
            <TableRow key={member.id} data-testid="member-row" data-email={member.email}>
              <TableCell className="font-medium text-slate-900">
                {member.fullName}
                {member.userId === currentUserId && <span className="ml-1 text-xs text-slate-400">({t('team.you')})</span>}
              </TableCell>
              <TableCell>{member.email}</TableCell>
              <TableCell>
                <RoleBadge role={member.role} />
              </TableCell>
              <TableCell>
                <div className="flex max-w-md flex-wrap gap-1">
                  {granted.length === 0 ? (
                    <span className="text-slate-400">{t('team.noPermissions')}</span>
                  ) : (
                    granted.map((key) => (
                      <Badge key={key} tone="neutral">
                        {t(`permission.${key}`)}
                      </Badge>
                    ))
                  )}
                </div>
              </TableCell>
              {canManage && (
                <TableCell className="text-right whitespace-nowrap">
                  <EditMemberDialog member={member} />
                  <RemoveMemberDialog member={member} />
                </TableCell>
              )}
            </TableRow>
          )
        })}
      </TableBody>
    </Table>
  )
}
