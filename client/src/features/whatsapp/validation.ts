import type { MessageKey } from '@/lib/i18n'

// Mirrors the server: 3–50 characters of letters, digits, '-', '_' and spaces.
const INSTANCE_NAME = /^[A-Za-z0-9_\- ]+$/

export function validateInstanceName(value: string): MessageKey | null {
  const name = value.trim()
  if (!name) return 'validation.required'
  if (name.length < 3 || name.length > 50) return 'whatsapp.instanceNameLength'
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
