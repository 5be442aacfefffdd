import { Link } from 'react-router'
import { Alert } from '@/components/ui/alert'
import { ApiError } from '@/lib/api-client'
import { useT } from '@/lib/i18n'
import { existingContactId } from '../validation'

/** The server's message ("Já existe um contato com este número: …") and a way to that contact. */
export function ContactExistsAlert({ error, onNavigate }: { error: unknown; onNavigate?: () => void }) {
  const t = useT()
  const id = existingContactId(error)
  if (!id || !(error instanceof ApiError)) return null
  return (
    <Alert data-testid="contact-exists">
      {error.message}{' '}
      <Link
        to={`/contacts/${encodeURIComponent(id)}`}
        onClick={onNavigate}
        className="font-medium underline underline-offset-2"
        data-testid="contact-create-existing"
      >
        {t('contacts.openExisting')}
      </Link>
    </Alert>
  )
}
