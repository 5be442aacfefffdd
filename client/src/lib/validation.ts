import type { MessageKey } from './i18n'

// Validators return an i18n key (or null), so forms can show the message in either language.
export type Validator = (value: string) => MessageKey | null

// Deliberately loose: the server has the final word; this only catches typos early.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export const required: Validator = (value) => (value.trim() ? null : 'validation.required')
export const email: Validator = (value) =>
  required(value) ?? (EMAIL.test(value.trim()) ? null : 'validation.email')
// The server hashes with bcrypt, which reads at most 72 bytes (accents take two).
const utf8Length = (value: string) => new TextEncoder().encode(value).length
export const password: Validator = (value) =>
  required(value) ??
  (value.length < 8 ? 'validation.passwordMin' : utf8Length(value) > 72 ? 'validation.passwordMax' : null)
export const name: Validator = (value) => {
  const length = value.trim().length
  return required(value) ?? (length >= 2 && length <= 100 ? null : 'validation.nameLength')
}

/** Runs each field's validator; the result holds only the fields that failed. */
export function validate<F extends string>(
  values: Record<F, string>,
  rules: Partial<Record<F, Validator>>,
): Partial<Record<F, MessageKey>> {
  const errors: Partial<Record<F, MessageKey>> = {}
  for (const field of Object.keys(rules) as F[]) {
    const error = rules[field]?.(values[field])
    if (error) errors[field] = error
  }
  return errors
}
