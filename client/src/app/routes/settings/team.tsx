import { Alert } from '@/components/ui/alert'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Spinner } from '@/components/ui/spinner'
import { isCompanyAdmin, useMe } from '@/features/auth/api/me'
import { useMembers } from '@/features/team/api/members'
import { AddMemberDialog } from '@/features/team/components/add-member-dialog'
import { MembersTable } from '@/features/team/components/members-table'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'

export default function TeamRoute() {
  const t = useT()
  const { data: me } = useMe()
  const members = useMembers()
  const canManage = isCompanyAdmin(me)
  return (
    <Card data-testid="team-page">
      <CardHeader className="flex-row flex-wrap items-start justify-between gap-3">
        <div className="grid gap-1">
          <CardTitle>{t('team.title')}</CardTitle>
          <CardDescription>{t('team.subtitle')}</CardDescription>
        </div>
        {canManage && <AddMemberDialog />}
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
  )
}
