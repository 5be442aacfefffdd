import { useFormat, useT } from '@/lib/i18n'
import type { InvitationPreview } from '../api/invitation'

export function InvitationSummary({ invitation }: { invitation: InvitationPreview }) {
  const t = useT()
  const format = useFormat()
  const rows = [
    [t('invite.company'), invitation.companyName],
    [t('invite.role'), t(`role.${invitation.role}`)],
    [t('invite.invitedBy'), invitation.invitedBy],
    [t('invite.email'), invitation.email],
    [t('invite.expires'), format.dateTime(invitation.expiresAt)],
  ] as const
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm" data-testid="invite-summary">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-slate-500">{label}</dt>
          <dd className="min-w-0 font-medium [overflow-wrap:anywhere] text-slate-900">{value}</dd>
        </div>
      ))}
    </dl>
  )
}
