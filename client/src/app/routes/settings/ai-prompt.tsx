import { useParams } from 'react-router'
import { PromptEditorPage } from '@/features/ai/components/prompt-editor-page'

export default function AiPromptRoute() {
  const { instanceId = '' } = useParams()
  // Keyed: another instance's editor starts from its own prompt.
  return <PromptEditorPage key={instanceId} instanceId={instanceId} />
}
