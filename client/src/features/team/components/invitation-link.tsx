import { useRef, useState } from 'react'
import { Check, Copy, MessageCircle } from 'lucide-react'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { buttonVariants } from '@/components/ui/button-variants'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { useFormat, useT } from '@/lib/i18n'
import type { CreatedInvitation } from '../api/invitations'

type CopyState = 'idle' | 'copied' | 'manual'

/** Puts the text on the clipboard; false when the browser refuses (e.g. plain http on a LAN address). */
async function writeClipboard(text: string, input: HTMLInputElement | null): Promise<boolean> {
  try {
    // Missing outside secure contexts, whatever the DOM types say.
    const clipboard = navigator.clipboard as Clipboard | undefined
    if (clipboard) {
      await clipboard.writeText(text)
      return true
    }
  } catch {
    // Permission denied or not focused: fall back to the selection below.
  }
  input?.focus()
  input?.select()
  try {
    // Deprecated, but the only way to copy without the async clipboard API.
    return typeof document.execCommand === 'function' && document.execCommand('copy')
  } catch {
    return false
  }
}

type InvitationLinkProps = { invitation: CreatedInvitation; companyName: string }

export function InvitationLink({ invitation, companyName }: InvitationLinkProps) {
  const t = useT()
  const format = useFormat()
  const inputRef = useRef<HTMLInputElement>(null)
  const [copyState, setCopyState] = useState<CopyState>('idle')
  const link = invitation.inviteUrl
  const whatsappText = t('team.inviteWhatsAppText', { company: companyName, link })

  async function copy() {
    setCopyState((await writeClipboard(link, inputRef.current)) ? 'copied' : 'manual')
  }

  return (
    <div className="grid gap-4" data-testid="invite-result">
      <FormField label={t('team.inviteLink')}>
        <Input
          ref={inputRef}
          name="inviteUrl"
          readOnly
          value={link}
          onFocus={(event) => event.currentTarget.select()}
          className="font-mono text-xs"
          data-testid="invite-link"
        />
      </FormField>
      <div className="flex flex-col gap-2 sm:flex-row">
        <Button type="button" onClick={() => void copy()} data-testid="invite-link-copy">
          {copyState === 'copied' ? <Check aria-hidden /> : <Copy aria-hidden />}
          {copyState === 'copied' ? t('team.inviteCopied') : t('team.inviteCopy')}
        </Button>
        <a
          href={`https://wa.me/?text=${encodeURIComponent(whatsappText)}`}
          target="_blank"
          rel="noopener noreferrer"
          className={buttonVariants({ variant: 'outline' })}
          data-testid="invite-whatsapp"
        >
          <MessageCircle aria-hidden />
          {t('team.inviteWhatsApp')}
        </a>
      </div>
      <p role="status" className="sr-only">
        {copyState === 'copied' ? t('team.inviteCopied') : ''}
      </p>
      {copyState === 'manual' && <p className="text-xs text-slate-600">{t('team.inviteCopyManual')}</p>}
      <Alert tone="info">
        {t('team.inviteOnce')}{' '}
        {t('team.inviteExpires', { relative: format.relativeDays(invitation.expiresAt), date: format.date(invitation.expiresAt) })}
      </Alert>
    </div>
  )
}
