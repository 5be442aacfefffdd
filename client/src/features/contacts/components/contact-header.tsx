import { Link } from 'react-router'
import { ArrowLeft, Ban, FileDown, ShieldCheck } from 'lucide-react'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { errorMessage } from '@/lib/errors'
import { useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { useToggleBlock } from '../api/contacts'
import { useExportContactData } from '../api/download'
import type { Contact } from '../api/types'
import { formatPhone } from '../format'
import { useContactPermissions } from '../hooks/use-contact-permissions'
import { ContactAvatar } from './contact-avatar'
import { EraseContactDialog } from './erase-contact-dialog'

export function ContactHeader({ contact }: { contact: Contact }) {
  const t = useT()
  const { canManage, canErase } = useContactPermissions()
  const toggleBlock = useToggleBlock(contact.id)
  const exportData = useExportContactData(contact)
  const onError = (error: unknown) => toast(errorMessage(error, t), 'error')

  return (
    <header className="flex flex-wrap items-center gap-3" data-testid="contact-header">
      <Link
        to="/contacts"
        className="rounded-full p-1.5 text-slate-600 hover:bg-slate-200"
        aria-label={t('contacts.backToList')}
        data-testid="contact-back"
      >
        <ArrowLeft className="size-5" aria-hidden />
      </Link>
      <ContactAvatar name={contact.displayName} seed={contact.id} photoUrl={contact.avatarUrl} className="size-12 text-base" />
      <div className="min-w-0 flex-1">
        <h1 className="flex flex-wrap items-center gap-2 text-2xl font-bold tracking-tight text-slate-900" data-testid="contact-name">
          <span className="truncate">{contact.displayName}</span>
          {contact.isBlocked && (
            <Badge tone="danger" data-testid="contact-blocked-badge">
              {t('contacts.blocked')}
            </Badge>
          )}
        </h1>
        <p className="text-sm text-slate-500 tabular-nums">{formatPhone(contact.phoneNumber) || t('contacts.noPhone')}</p>
      </div>
      <div className="flex flex-wrap gap-2">
        {canManage && (
          <Button
            variant="outline"
            loading={toggleBlock.isPending}
            onClick={() =>
              toggleBlock.mutate(undefined, {
                onSuccess: ({ isBlocked }) => toast(t(isBlocked ? 'contacts.blockedToast' : 'contacts.unblockedToast')),
                onError,
              })
            }
            data-testid="contact-block"
            data-blocked={contact.isBlocked}
          >
            {!toggleBlock.isPending && (contact.isBlocked ? <ShieldCheck aria-hidden /> : <Ban aria-hidden />)}
            {t(contact.isBlocked ? 'contacts.unblock' : 'contacts.block')}
          </Button>
        )}
        <Button
          variant="outline"
          loading={exportData.isPending}
          onClick={() => exportData.mutate(undefined, { onError })}
          title={t('contacts.exportDataHint')}
          data-testid="contact-export"
        >
          {!exportData.isPending && <FileDown aria-hidden />}
          {t('contacts.exportData')}
        </Button>
        {canErase && <EraseContactDialog contact={contact} />}
      </div>
    </header>
  )
}
