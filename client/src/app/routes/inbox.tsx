import { useParams } from 'react-router'
import { InboxPage } from '@/features/inbox/components/inbox-page'
import { useInstances } from '@/features/whatsapp/api/instances'

// The app composes the two features: the inbox gets the instances (filter, empty state) from here.
export default function InboxRoute() {
  const { conversationId } = useParams()
  const instances = useInstances()
  return <InboxPage conversationId={conversationId} instances={instances.data ?? []} instancesLoaded={instances.isSuccess} />
}
