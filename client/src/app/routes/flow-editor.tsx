import { useParams } from 'react-router'
import { FlowEditorPage } from '@/features/flows/components/flow-editor-page'

// Its own chunk with React Flow, so the diagram library is not in the initial bundle.
export default function FlowEditorRoute() {
  const { flowId } = useParams()
  return <FlowEditorPage flowId={flowId} />
}
