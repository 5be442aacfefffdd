import { useParams } from 'react-router'
import { ContactDetailPage } from '@/features/contacts/components/contact-detail-page'

export default function ContactDetailRoute() {
  const { contactId = '' } = useParams()
  // Keyed by id: moving between contacts starts every card (and its edit state) afresh.
  return <ContactDetailPage key={contactId} contactId={contactId} />
}
