import { FollowupsPage } from '@/features/followups/components/followups-page'

export default function FollowUpsRoute() {
  return <FollowupsPage />
}
