import { Link } from 'react-router'
import { Alert } from '@/components/ui/alert'
import { useT } from '@/lib/i18n'
import { aiErrorMessage, isAiDisabledError } from '../ai-errors'

/** How to turn the AI on, for pages other than Configurações > IA (with a link there). */
export function AiEnableHint() {
  const t = useT()
  return (
    <p className="mt-1">
      {t('aiAssistant.enableHint')}{' '}
      <Link to="/settings/ai" className="font-medium underline" data-testid="ai-enable-link">
        {t('aiAssistant.enableLink')}
      </Link>
    </p>
  )
}

/** A failed AI request: "AI off" with the server's reason and how to turn it on, or the error. */
export function AiErrorAlert({ error, className }: { error: unknown; className?: string }) {
  const t = useT()
  if (isAiDisabledError(error)) {
    return (
      <Alert tone="info" className={className} data-testid="ai-disabled">
        <p className="font-medium">{t('ai.disabled.title')}</p>
        {error.message && <p className="mt-1">{error.message}</p>}
        <AiEnableHint />
      </Alert>
    )
  }
  return (
    <Alert className={className} data-testid="ai-error">
      {aiErrorMessage(error, t)}
    </Alert>
  )
}
