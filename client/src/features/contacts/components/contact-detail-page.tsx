import { Link } from 'react-router'
import { UserX } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { buttonVariants } from '@/components/ui/button-variants'
import { Card } from '@/components/ui/card'
import { Spinner } from '@/components/ui/spinner'
import { ContactAiProfileCard } from '@/features/ai/components/contact-ai-profile-card'
import { ApiError } from '@/lib/api-client'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { useContact } from '../api/contacts'
import { useContactPermissions } from '../hooks/use-contact-permissions'
import { ContactConversationsCard } from './contact-conversations-card'
import { ContactDealsCard } from './contact-deals-card'
import { ContactHeader } from './contact-header'
import { ContactNotesCard } from './contact-notes-card'
import { ContactProfileCard } from './contact-profile-card'
import { ContactTagsCard } from './contact-tags-card'
import { ContactTimeline } from './contact-timeline'

export function ContactDetailPage({ contactId }: { contactId: string }) {
  const t = useT()
  const contact = useContact(contactId)
  const { canManage } = useContactPermissions()

  if (contact.isPending) return <Spinner label={t('common.loading')} />
  if (contact.isError) {
    // Another company's id is a 404 too (never a 403), so this also covers links from elsewhere.
    if (contact.error instanceof ApiError && contact.error.status === 404) return <ContactNotFound />
    return (
      <Alert>
        {errorMessage(contact.error, t)}{' '}
        <button type="button" className="font-medium underline" onClick={() => void contact.refetch()}>
          {t('common.retry')}
        </button>
      </Alert>
    )
  }

  const data = contact.data
  return (
    <div className="grid gap-6" data-testid="contact-detail" data-contact-id={data.id}>
      <ContactHeader contact={data} />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <div className="grid content-start gap-6">
          <ContactProfileCard contact={data} canManage={canManage} />
          <ContactTagsCard contact={data} canManage={canManage} />
          <ContactAiProfileCard profile={data.aiProfile} />
          <ContactDealsCard deals={data.deals} />
          <ContactConversationsCard conversations={data.conversations} />
        </div>
        <div className="grid content-start gap-6">
          <ContactNotesCard contactId={data.id} canManage={canManage} />
          <ContactTimeline contactId={data.id} />
        </div>
      </div>
    </div>
  )
}

function ContactNotFound() {
  const t = useT()
  return (
    <Card className="mx-auto mt-8 flex max-w-md flex-col items-center gap-3 p-10 text-center" data-testid="contact-not-found">
      <span className="flex size-14 items-center justify-center rounded-full bg-slate-100 text-slate-500">
        <UserX className="size-7" aria-hidden />
      </span>
      <h1 className="text-xl font-semibold text-slate-900">{t('contacts.notFoundTitle')}</h1>
      <p className="text-sm text-slate-500">{t('contacts.notFoundBody')}</p>
      <Link to="/contacts" className={buttonVariants({ variant: 'outline' })}>
        {t('contacts.backToList')}
      </Link>
    </Card>
  )
}
