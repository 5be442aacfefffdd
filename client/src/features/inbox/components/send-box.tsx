import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { Archive, Paperclip, SendHorizontal, X } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { errorMessage } from '@/lib/errors'
import { useLocale, useT } from '@/lib/i18n'
import { toast } from '@/lib/toast'
import { QuickReplyPicker } from '@/features/quick-replies/components/quick-reply-picker'
import { useQuickReplyPicker } from '@/features/quick-replies/hooks/use-quick-reply-picker'
import { useDraftStore } from '../api/draft-store'
import { mediaTypeOf, useSendMedia, useSendText } from '../api/messages'
import type { Message } from '../api/types'
import { fileSize, KIND_ICON, KIND_LABEL } from '../format'

const MAX_TEXT = 4096
const ACCEPT = 'image/*,video/*,audio/*,application/pdf,application/msword,application/vnd.openxmlformats-officedocument.*,application/vnd.ms-excel,text/plain,text/csv,application/zip'

type Props = {
  conversationId: string
  archived: boolean
  replyTo: Message | null
  onCancelReply: () => void
  onUnarchive: () => void
  unarchiving?: boolean
}

export function SendBox({ conversationId, archived, replyTo, onCancelReply, onUnarchive, unarchiving }: Props) {
  const t = useT()
  const locale = useLocale()
  const [text, setText] = useState('')
  const [file, setFile] = useState<File | null>(null)
  const fileInput = useRef<HTMLInputElement>(null)
  const textarea = useRef<HTMLTextAreaElement>(null)
  const sendText = useSendText()
  const sendMedia = useSendMedia()
  const quickReplies = useQuickReplyPicker({ conversationId, text, setText, textarea })
  const sending = sendText.isPending || sendMedia.isPending
  const trimmed = text.trim()
  const canSend = !archived && !sending && (file !== null || (trimmed.length > 0 && trimmed.length <= MAX_TEXT))

  // A text offered from elsewhere (the AI panel's suggested reply) replaces the draft, for editing.
  useEffect(
    () =>
      useDraftStore.subscribe(({ offer, clear }) => {
        if (!offer || offer.conversationId !== conversationId) return
        clear()
        setText(offer.text.slice(0, MAX_TEXT))
        textarea.current?.focus()
      }),
    [conversationId],
  )

  if (archived) {
    return (
      <div className="flex flex-wrap items-center justify-center gap-3 border-t border-slate-200 bg-slate-50 px-4 py-3 text-sm text-slate-600" data-testid="inbox-archived-notice">
        <Archive className="size-4" aria-hidden />
        {t('inbox.archivedNotice')}
        <Button size="sm" variant="outline" loading={unarchiving} onClick={onUnarchive} data-testid="inbox-unarchive">
          {t('inbox.unarchive')}
        </Button>
      </div>
    )
  }

  const onError = (error: unknown) => toast(errorMessage(error, t), 'error')
  const onSent = () => {
    setText('')
    setFile(null)
    onCancelReply()
    textarea.current?.focus()
  }

  function send() {
    if (!canSend) return
    const replyToMessageId = replyTo?.id
    if (file) {
      sendMedia.mutate(
        { conversationId, file, caption: trimmed || undefined, mediaType: mediaTypeOf(file), replyToMessageId },
        { onSuccess: onSent, onError },
      )
    } else {
      sendText.mutate({ conversationId, text: trimmed, replyToMessageId }, { onSuccess: onSent, onError })
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (quickReplies.onKeyDown(event)) return
    // Enter sends, Shift+Enter breaks the line; never while an IME is composing a character.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault()
      send()
    }
    if (event.key === 'Escape' && replyTo) onCancelReply()
  }

  const replyKind = replyTo && replyTo.kind !== 'text' ? `${KIND_ICON[replyTo.kind]} ${t(KIND_LABEL[replyTo.kind])}` : ''
  return (
    <div className="border-t border-slate-200 bg-slate-100 px-3 py-2">
      <QuickReplyPicker {...quickReplies.picker} />
      {replyTo && (
        <div className="mb-2 flex items-start gap-2 rounded-md border-l-4 border-emerald-600 bg-white px-3 py-2" data-testid="inbox-reply-strip">
          <div className="min-w-0 flex-1 text-sm">
            <p className="text-xs font-semibold text-emerald-700">
              {replyTo.messageType === 'SENT' ? t('inbox.replyingToYou') : t('inbox.replyingTo')}
            </p>
            <p className="line-clamp-2 whitespace-pre-wrap text-slate-600">{replyTo.messageText || replyKind}</p>
          </div>
          <button
            type="button"
            onClick={onCancelReply}
            className="rounded p-1 text-slate-500 hover:bg-slate-100 hover:text-slate-900"
            aria-label={t('inbox.cancelReply')}
            data-testid="inbox-reply-cancel"
          >
            <X className="size-4" aria-hidden />
          </button>
        </div>
      )}
      {file && (
        <div className="mb-2 flex items-center gap-2 rounded-md bg-white px-3 py-2 text-sm" data-testid="inbox-attachment">
          <span aria-hidden>{KIND_ICON[mediaTypeOf(file) ?? 'document']}</span>
          <span className="min-w-0 flex-1 truncate">{file.name}</span>
          <span className="text-xs text-slate-500">{fileSize(file.size, locale)}</span>
          <button
            type="button"
            onClick={() => setFile(null)}
            className="rounded p-1 text-slate-500 hover:bg-slate-100 hover:text-slate-900"
            aria-label={t('inbox.removeAttachment')}
          >
            <X className="size-4" aria-hidden />
          </button>
        </div>
      )}
      <form
        className="flex items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault()
          send()
        }}
      >
        <input
          ref={fileInput}
          type="file"
          accept={ACCEPT}
          className="sr-only"
          tabIndex={-1}
          aria-label={t('inbox.attach')}
          onChange={(event) => {
            setFile(event.target.files?.[0] ?? null)
            event.target.value = ''
            textarea.current?.focus()
          }}
          data-testid="inbox-attach-input"
        />
        <Button
          type="button"
          variant="ghost"
          size="icon"
          className="shrink-0 rounded-full"
          onClick={() => fileInput.current?.click()}
          aria-label={t('inbox.attach')}
          title={t('inbox.attach')}
        >
          <Paperclip aria-hidden />
        </Button>
        <textarea
          ref={textarea}
          rows={1}
          value={text}
          {...quickReplies.inputProps}
          onKeyDown={onKeyDown}
          placeholder={file ? t('inbox.captionPlaceholder') : t('inbox.messagePlaceholder')}
          aria-label={file ? t('inbox.captionPlaceholder') : t('inbox.messagePlaceholder')}
          maxLength={MAX_TEXT}
          className="field-sizing-content max-h-40 min-h-10 flex-1 resize-none rounded-lg border border-transparent bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-400 focus-visible:border-emerald-600 focus-visible:outline-none"
          data-testid="inbox-send-input"
        />
        <Button
          type="submit"
          size="icon"
          className="shrink-0 rounded-full"
          disabled={!canSend}
          loading={sending}
          aria-label={t('inbox.send')}
          title={t('inbox.send')}
          data-testid="inbox-send-button"
        >
          {!sending && <SendHorizontal aria-hidden />}
        </Button>
      </form>
    </div>
  )
}
