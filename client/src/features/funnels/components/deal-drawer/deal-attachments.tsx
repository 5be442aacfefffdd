import { useState, type ChangeEvent } from 'react'
import { Download, FileText, LoaderCircle, Paperclip, Trash2 } from 'lucide-react'
import { ConfirmDestructiveDialog } from '@/components/confirm-destructive-dialog'
import { Alert } from '@/components/ui/alert'
import { buttonVariants } from '@/components/ui/button-variants'
import { Spinner } from '@/components/ui/spinner'
import { errorMessage } from '@/lib/errors'
import { useFormat, useLocale, useT } from '@/lib/i18n'
import { cn } from '@/lib/utils'
import { useDealAttachments, useDeleteDealAttachment, useUploadDealAttachment } from '../../api/deal-content'
import type { DealAttachment } from '../../api/types'
import { formatBytes } from '../../format'

// What the server accepts (it checks the content too); the picker only narrows the choice.
const ACCEPT = '.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.png,.jpg,.jpeg,.gif,.webp,.txt,.csv,.zip'

/** Our own API paths or http(s) storage links only: a stored URL must never become a script. */
const downloadable = (url: string) => /^https?:\/\//i.test(url) || (url.startsWith('/') && !url.startsWith('//'))

export function DealAttachments({ dealId, canEdit }: { dealId: string; canEdit: boolean }) {
  const t = useT()
  const attachments = useDealAttachments(dealId)
  const upload = useUploadDealAttachment(dealId)
  const [uploading, setUploading] = useState<string | null>(null)

  function pick(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0]
    // Cleared at once, so picking the same file again (after a refusal) fires again.
    event.target.value = ''
    if (!file) return
    setUploading(file.name)
    upload.mutate(file, { onSettled: () => setUploading(null) })
  }

  return (
    <div className="grid gap-3" data-testid="deal-attachments">
      {canEdit && (
        <div className="flex flex-wrap items-center gap-3">
          <label className={cn(buttonVariants({ variant: 'outline', size: 'sm' }), 'cursor-pointer focus-within:ring-2 focus-within:ring-emerald-600', upload.isPending && 'pointer-events-none opacity-50')}>
            <Paperclip aria-hidden />
            {t('deals.attach')}
            <input type="file" accept={ACCEPT} className="sr-only" onChange={pick} disabled={upload.isPending} data-testid="deal-attachment-input" />
          </label>
          {uploading && (
            <span className="flex items-center gap-2 text-sm text-slate-600" role="status" data-testid="deal-attachment-uploading">
              <LoaderCircle className="size-4 animate-spin" aria-hidden />
              {t('deals.uploading', { name: uploading })}
            </span>
          )}
        </div>
      )}
      {upload.isError && <Alert>{errorMessage(upload.error, t)}</Alert>}
      {attachments.isPending ? (
        <Spinner label={t('common.loading')} />
      ) : attachments.isError ? (
        <Alert>{errorMessage(attachments.error, t)}</Alert>
      ) : attachments.data.length === 0 ? (
        <p className="text-sm text-slate-500">{t('deals.attachmentsEmpty')}</p>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200">
          {attachments.data.map((attachment) => (
            <AttachmentRow key={attachment.id} dealId={dealId} attachment={attachment} canEdit={canEdit} />
          ))}
        </ul>
      )}
    </div>
  )
}

function AttachmentRow({ dealId, attachment, canEdit }: { dealId: string; attachment: DealAttachment; canEdit: boolean }) {
  const t = useT()
  const locale = useLocale()
  const format = useFormat()
  const remove = useDeleteDealAttachment(dealId)
  return (
    <li className="flex items-center gap-3 p-2 text-sm" data-testid="deal-attachment" data-attachment-id={attachment.id}>
      <FileText className="size-5 shrink-0 text-slate-400" aria-hidden />
      <div className="min-w-0 flex-1">
        <p className="truncate font-medium text-slate-800" title={attachment.fileName}>
          {attachment.fileName}
        </p>
        <p className="text-xs text-slate-500">
          {formatBytes(attachment.fileSize, locale)} · {attachment.mimeType} · {format.date(attachment.createdAt)}
        </p>
      </div>
      {downloadable(attachment.fileUrl) && (
        <a
          href={attachment.fileUrl}
          download={attachment.fileName}
          target="_blank"
          rel="noopener noreferrer"
          className={buttonVariants({ variant: 'ghost', size: 'icon' })}
          aria-label={t('deals.download', { name: attachment.fileName })}
          data-testid="deal-attachment-download"
        >
          <Download aria-hidden />
        </a>
      )}
      {canEdit && (
        <ConfirmDestructiveDialog
          icon={<Trash2 aria-hidden />}
          title={t('deals.attachmentDelete')}
          description={t('deals.attachmentDeleteBody', { name: attachment.fileName })}
          confirmLabel={t('common.remove')}
          testId="deal-attachment-delete"
          pending={remove.isPending}
          error={remove.error}
          onReset={remove.reset}
          onConfirm={(close) => remove.mutate(attachment.id, { onSuccess: close })}
        />
      )}
    </li>
  )
}
