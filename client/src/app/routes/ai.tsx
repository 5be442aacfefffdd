import { AssistantPage } from '@/features/ai/assistant/assistant-page'

export default function AiAssistantRoute() {
  return <AssistantPage />
}
