import type { MessageKey } from '@/lib/i18n'
import type { MessageKind } from './api/types'

export const KIND_ICON: Record<MessageKind, string> = {
  text: '',
  image: '📷',
  video: '🎥',
  audio: '🎵',
  ptt: '🎤',
  document: '📄',
  sticker: '💟',
  location: '📍',
  contact: '👤',
  unknown: '❔',
}

export const KIND_LABEL: Record<MessageKind, MessageKey> = {
  text: 'inbox.kind.text',
  image: 'inbox.kind.image',
  video: 'inbox.kind.video',
  audio: 'inbox.kind.audio',
  ptt: 'inbox.kind.ptt',
  document: 'inbox.kind.document',
  sticker: 'inbox.kind.sticker',
  location: 'inbox.kind.location',
  contact: 'inbox.kind.contact',
  unknown: 'inbox.kind.unknown',
}

const startOfDay = (date: Date) => new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime()

/** Whole calendar days between two moments in local time (0 = same day). */
export function daysBetween(value: Date, now: Date): number {
  return Math.round((startOfDay(now) - startOfDay(value)) / 86_400_000)
}

/** Like WhatsApp's list: the time today, "Ontem", the weekday this week, else the date. */
export function listTime(value: string, locale: string, yesterday: string, now: Date = new Date()): string {
  const date = new Date(value)
  const days = daysBetween(date, now)
  if (days <= 0) return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(date)
  if (days === 1) return yesterday
  if (days < 7) return new Intl.DateTimeFormat(locale, { weekday: 'long' }).format(date)
  return new Intl.DateTimeFormat(locale, { dateStyle: 'short' }).format(date)
}

export const clockTime = (value: string, locale: string) =>
  new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(new Date(value))

/** The label of the day separator in a chat. */
export function dayLabel(value: string, locale: string, labels: { today: string; yesterday: string }, now: Date = new Date()): string {
  const date = new Date(value)
  const days = daysBetween(date, now)
  if (days <= 0) return labels.today
  if (days === 1) return labels.yesterday
  return new Intl.DateTimeFormat(locale, { dateStyle: days < 7 ? undefined : 'long', weekday: days < 7 ? 'long' : undefined }).format(date)
}

export function fileSize(bytes: number | null | undefined, locale: string): string {
  if (bytes == null) return ''
  const units = ['B', 'KB', 'MB', 'GB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value)} ${units[unit]}`
}

export function duration(seconds: number | null | undefined): string {
  if (seconds == null) return ''
  const whole = Math.max(0, Math.round(seconds))
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`
}

/** "+55 11 99999-8888"-ish for Brazilian numbers, "+<digits>" otherwise. */
export function formatPhone(number: string | null | undefined): string {
  if (!number) return ''
  const digits = number.replace(/\D/g, '')
  const br = /^55(\d{2})(\d{4,5})(\d{4})$/.exec(digits)
  if (br) return `+55 ${br[1]} ${br[2]}-${br[3]}`
  return digits ? `+${digits}` : number
}

export function initials(name: string | null | undefined): string {
  const words = (name ?? '').trim().split(/\s+/).filter((word) => /\p{L}/u.test(word))
  if (words.length === 0) return '#'
  return (words[0][0] + (words.length > 1 ? words[words.length - 1][0] : '')).toUpperCase()
}

export const mapsUrl = (latitude: number, longitude: number) =>
  `https://www.google.com/maps/search/?api=1&query=${encodeURIComponent(`${latitude},${longitude}`)}`
