import type { Role } from '@/types/api'
import type { MessageKey } from '@/lib/i18n'
import { email, name, password, validate, type Validator } from '@/lib/validation'

export const ROLES: readonly Role[] = ['admin', 'coordinator', 'member']

export type MemberFormValues = { email: string; fullName: string; role: string; password: string }
export type MemberFormErrors = Partial<Record<keyof MemberFormValues, MessageKey>>

// Name and password are optional here: they are only needed when the email has no account
// yet, which only the server knows. It answers 400 with `details` for the missing field.
const optional =
  (validator: Validator): Validator =>
  (value) =>
    value === '' ? null : validator(value)

const role: Validator = (value) => (ROLES.includes(value as Role) ? null : 'validation.required')

export function validateMemberForm(values: MemberFormValues): MemberFormErrors {
  return validate(values, { email, fullName: optional(name), role, password: optional(password) })
}
