import { useParams } from 'react-router'
import { InvitationPage } from '@/features/auth/components/invitation-page'

export default function InviteRoute() {
  const { token = '' } = useParams()
  // A new token means a different invitation: start from a clean state.
  return <InvitationPage key={token} token={token} />
}
