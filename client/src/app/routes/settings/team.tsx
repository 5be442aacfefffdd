import { Alert } from '@/components/ui/alert'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Spinner } from '@/components/ui/spinner'
import { canManageTeam, hasCompany, isCompanyAdmin, useMe } from '@/features/auth/api/me'
import { useInvitations } from '@/features/team/api/invitations'
import { useMembers } from '@/features/team/api/members'
import { InvitationsTable } from '@/features/team/components/invitations-table'
import { InviteMemberDialog } from '@/features/team/components/invite-member-dialog'
import { MembersTable } from '@/features/team/components/members-table'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'

export default function TeamRoute() {
  const t = useT()
  const { data: me } = useMe()
  const members = useMembers()
  const canManage = canManageTeam(me)
  // Pending invitations are for managers only (the API refuses everyone else).
  const invitations = useInvitations({ enabled: canManage })
  return (
    <div className="grid gap-6">
      <Card data-testid="team-page">
        <CardHeader className="flex-row flex-wrap items-start justify-between gap-3">
          <div className="grid gap-1">
            <CardTitle>{t('team.title')}</CardTitle>
            <CardDescription>{t('team.subtitle')}</CardDescription>
          </div>
          {hasCompany(me) && canManage && (
            <InviteMemberDialog
              inviter={{ isAdmin: isCompanyAdmin(me), permissions: me.permissions }}
              companyName={me.company.name}
            />
          )}
        </CardHeader>
        <CardContent className="grid grid-cols-1 gap-4">
          {me && !canManage && <Alert tone="info">{t('team.readOnly')}</Alert>}
          {members.isPending ? (
            <Spinner label={t('common.loading')} />
          ) : members.isError ? (
            <Alert>{errorMessage(members.error, t)}</Alert>
          ) : (
            <MembersTable members={members.data} canManage={canManage} currentUserId={me?.id} />
          )}
        </CardContent>
      </Card>

      {canManage && (
        <Card data-testid="invitations">
          <CardHeader>
            <CardTitle>{t('team.invitationsTitle')}</CardTitle>
          </CardHeader>
          <CardContent className="grid grid-cols-1 gap-4">
            {invitations.isPending ? (
              <Spinner label={t('common.loading')} />
            ) : invitations.isError ? (
              <Alert>{errorMessage(invitations.error, t)}</Alert>
            ) : (
              <InvitationsTable invitations={invitations.data} canManage />
            )}
          </CardContent>
        </Card>
      )}
    </div>
  )
}
