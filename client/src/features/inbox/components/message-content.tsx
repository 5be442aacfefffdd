import { useRef } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { Download, FileText, LoaderCircle, MapPin, Mic, ShieldAlert, UserRound } from 'lucide-react'
import { useLocale, useT } from '@/lib/i18n'
import { inboxKeys } from '../api/keys'
import type { Message } from '../api/types'
import { duration, fileSize, formatPhone, mapsUrl } from '../format'

function MediaPlaceholder({ message }: { message: Message }) {
  const t = useT()
  const state = message.media?.state
  if (state === 'pending') {
    return (
      <p className="flex items-center gap-2 rounded-md bg-black/5 px-3 py-4 text-sm text-slate-500" data-media-state="pending">
        <LoaderCircle className="size-4 animate-spin" aria-hidden />
        {t('inbox.mediaPending')}
      </p>
    )
  }
  return (
    <p className="flex items-center gap-2 rounded-md bg-black/5 px-3 py-4 text-sm text-slate-500" data-media-state={state ?? 'missing'}>
      <ShieldAlert className="size-4" aria-hidden />
      {state === 'rejected' ? t('inbox.mediaRejected') : t('inbox.mediaFailed')}
    </p>
  )
}

function DocumentCard({ message }: { message: Message }) {
  const t = useT()
  const locale = useLocale()
  const media = message.media
  const name = media?.fileName || t('inbox.kind.document')
  const details = [media?.mimeType?.split('/')[1]?.toUpperCase(), fileSize(media?.size, locale)].filter(Boolean).join(' · ')
  const body = (
    <>
      <span className="flex size-10 shrink-0 items-center justify-center rounded-md bg-red-100 text-red-700">
        <FileText className="size-5" aria-hidden />
      </span>
      <span className="min-w-0 flex-1">
        <span className="block truncate text-sm font-medium text-slate-900">{name}</span>
        {details && <span className="block text-xs text-slate-500">{details}</span>}
      </span>
      {media?.url && <Download className="size-4 shrink-0 text-slate-500" aria-hidden />}
    </>
  )
  return media?.url ? (
    <a
      href={media.url}
      download={media.fileName ?? true}
      target="_blank"
      rel="noopener noreferrer"
      className="flex min-w-56 items-center gap-3 rounded-md bg-black/5 p-2 hover:bg-black/10"
      aria-label={t('inbox.download', { name })}
      data-testid="inbox-document"
    >
      {body}
    </a>
  ) : (
    <div className="flex min-w-56 items-center gap-3 rounded-md bg-black/5 p-2" data-testid="inbox-document">
      {body}
    </div>
  )
}

/** Media links are signed and expire: when one fails to load, fetch the history again (once) for fresh links. */
function useRenewExpiredLink(message: Message) {
  const queryClient = useQueryClient()
  const renewed = useRef(false)
  return () => {
    if (renewed.current) return
    renewed.current = true
    void queryClient.invalidateQueries({ queryKey: inboxKeys.messages(message.conversationId) })
  }
}

/** The media, location or contact part of a bubble (the text is drawn by the bubble). */
export function MessageContent({ message }: { message: Message }) {
  const t = useT()
  const renew = useRenewExpiredLink(message)
  const { media } = message
  switch (message.kind) {
    case 'image':
    case 'video':
    case 'audio':
    case 'ptt':
    case 'sticker': {
      if (!media?.url || media.state !== 'stored') {
        return <MediaPlaceholder message={message} />
      }
      if (message.kind === 'image') {
        return (
          <a href={media.url} target="_blank" rel="noopener noreferrer" aria-label={t('inbox.openImage')}>
            <img
              src={media.url}
              alt={message.messageText ?? t('inbox.kind.image')}
              loading="lazy"
              onError={renew}
              className="max-h-80 w-full max-w-xs rounded-md object-cover"
            />
          </a>
        )
      }
      if (message.kind === 'sticker') {
        return <img src={media.url} alt={t('inbox.kind.sticker')} loading="lazy" onError={renew} className="size-32 object-contain" />
      }
      if (message.kind === 'video') {
        return <video src={media.url} controls preload="metadata" onError={renew} className="max-h-80 w-full max-w-xs rounded-md bg-black" />
      }
      return (
        <div className="flex min-w-60 items-center gap-2">
          {message.kind === 'ptt' && (
            <span className="flex size-9 shrink-0 items-center justify-center rounded-full bg-emerald-600 text-white">
              <Mic className="size-4" aria-label={t('inbox.kind.ptt')} />
            </span>
          )}
          <audio src={media.url} controls preload="none" onError={renew} className="h-9 w-full min-w-48" aria-label={t(`inbox.kind.${message.kind}`)} />
          {media.seconds != null && <span className="text-xs text-slate-500 tabular-nums">{duration(media.seconds)}</span>}
        </div>
      )
    }
    case 'document':
      return media && media.state !== 'stored' ? <MediaPlaceholder message={message} /> : <DocumentCard message={message} />
    case 'location': {
      const location = message.location
      if (!location) return <p className="text-sm text-slate-500 italic">{t('inbox.kind.location')}</p>
      return (
        <a
          href={mapsUrl(location.latitude, location.longitude)}
          target="_blank"
          rel="noopener noreferrer"
          className="flex min-w-56 items-start gap-3 rounded-md bg-black/5 p-3 hover:bg-black/10"
          data-testid="inbox-location"
        >
          <MapPin className="mt-0.5 size-5 shrink-0 text-red-600" aria-hidden />
          <span className="min-w-0">
            <span className="block text-sm font-medium text-slate-900">{location.name || t('inbox.kind.location')}</span>
            {location.address && <span className="block text-xs text-slate-600">{location.address}</span>}
            <span className="block text-xs text-emerald-700">{t('inbox.openMaps')}</span>
          </span>
        </a>
      )
    }
    case 'contact':
      return (
        <ul className="grid gap-2" data-testid="inbox-contacts">
          {message.contacts.map((contact, index) => (
            <li key={`${contact.phone ?? ''}-${index}`} className="flex min-w-56 items-center gap-3 rounded-md bg-black/5 p-2">
              <span className="flex size-9 shrink-0 items-center justify-center rounded-full bg-slate-300 text-white">
                <UserRound className="size-5" aria-hidden />
              </span>
              <span className="min-w-0">
                <span className="block truncate text-sm font-medium text-slate-900">{contact.name || t('inbox.kind.contact')}</span>
                {contact.phone && <span className="block text-xs text-slate-600">{formatPhone(contact.phone)}</span>}
              </span>
            </li>
          ))}
        </ul>
      )
    case 'unknown':
      return <p className="text-sm text-slate-500 italic">{t('inbox.unsupported')}</p>
    default:
      return null
  }
}
