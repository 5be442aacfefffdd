import { ApiError } from '@/lib/api-client'
import type { MessageKey } from '@/lib/i18n'
import { email as emailRule } from '@/lib/validation'
import type { Contact } from './api/types'
import { isValidPhone, phoneDigits } from './format'

export type ContactFormErrors = Partial<Record<'phoneNumber' | 'email', MessageKey>>

/** Catches typos before the request; the server has the final word (and the duplicate check). */
export function validateContactForm(values: { phoneNumber: string; email: string }, phoneRequired = true): ContactFormErrors {
  const errors: ContactFormErrors = {}
  if (!values.phoneNumber.trim()) {
    if (phoneRequired) errors.phoneNumber = 'validation.required'
  } else if (!isValidPhone(values.phoneNumber)) errors.phoneNumber = 'contacts.validation.phone'
  if (values.email.trim()) {
    const problem = emailRule(values.email)
    if (problem) errors.email = problem
  }
  return errors
}

/** The id of the contact that already has the number, from a 409 `contact_exists`. */
export function existingContactId(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.code !== 'contact_exists') return null
  for (const detail of error.details as unknown[]) {
    const id = (detail as { contactId?: unknown } | null)?.contactId
    if (typeof id === 'string' && id) return id
  }
  return null
}

/**
 * What the API wants typed before it erases: the phone number (punctuation does not matter, and
 * we send the stored number), or the name for a contact without one.
 */
export function eraseConfirmation(contact: Contact, typed: string): string | null {
  if (contact.phoneNumber) {
    const digits = phoneDigits(typed)
    return digits && digits === phoneDigits(contact.phoneNumber) ? contact.phoneNumber : null
  }
  const name = contact.name ?? contact.displayName
  return typed.trim() && fold(typed) === fold(name) ? name : null
}

// As the API compares names: case and accents ignored.
const fold = (value: string) => value.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim()
