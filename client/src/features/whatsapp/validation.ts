import type { MessageKey } from '@/lib/i18n'

// Mirrors the server's `^[\w\- ]{3,50}$` with Python's Unicode `\w`: letters and digits of any
// script (so "São Paulo" is valid), '_', '-' and space, checked after runs of whitespace are
// collapsed into one space and the ends trimmed.
const INSTANCE_NAME = /^[\p{L}\p{N}_\- ]+$/u

/** The name as the server stores it: NFC (an accent typed as a combining mark becomes part of its letter), whitespace runs collapsed, trimmed. */
export function normaliseInstanceName(value: string): string {
  return value.normalize('NFC').replace(/\s+/gu, ' ').trim()
}

export function validateInstanceName(value: string): MessageKey | null {
  const name = normaliseInstanceName(value)
  if (!name) return 'validation.required'
  // Python counts code points, not UTF-16 units.
  const length = [...name].length
  if (length < 3 || length > 50) return 'whatsapp.instanceNameLength'
  if (!INSTANCE_NAME.test(name)) return 'whatsapp.instanceNameChars'
  return null
}

export function validateCredential(values: { apiUrl: string; apiKey: string }): Partial<Record<'apiUrl' | 'apiKey', MessageKey>> {
  const errors: Partial<Record<'apiUrl' | 'apiKey', MessageKey>> = {}
  const url = values.apiUrl.trim()
  if (!url) errors.apiUrl = 'validation.required'
  else if (!/^https?:\/\/[^\s/]+/i.test(url)) errors.apiUrl = 'whatsapp.urlInvalid'
  if (!values.apiKey.trim()) errors.apiKey = 'validation.required'
  return errors
}
