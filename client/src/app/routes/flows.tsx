import { FlowsListPage } from '@/features/flows/components/flows-list-page'

export default function FlowsRoute() {
  return <FlowsListPage />
}
