import { QuickRepliesSettings } from '@/features/quick-replies/components/quick-replies-settings'

export default function QuickRepliesRoute() {
  return <QuickRepliesSettings />
}
