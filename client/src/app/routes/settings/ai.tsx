import { AiSettingsPage } from '@/features/ai/components/ai-settings-page'

export default function AiSettingsRoute() {
  return <AiSettingsPage />
}
