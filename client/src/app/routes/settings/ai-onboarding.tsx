import { useParams } from 'react-router'
import { OnboardingWizardPage } from '@/features/ai/components/onboarding-wizard'

export default function AiOnboardingRoute() {
  const { instanceId = '' } = useParams()
  return <OnboardingWizardPage key={instanceId} instanceId={instanceId} />
}
