import { useParams } from 'react-router'
import { ExecutionsPage } from '@/features/flows/components/executions-page'

export default function FlowExecutionsRoute() {
  const { flowId = '' } = useParams()
  return <ExecutionsPage key={flowId} flowId={flowId} />
}
