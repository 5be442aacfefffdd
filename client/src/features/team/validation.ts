import { PERMISSION_KEYS, type PermissionKey, type Permissions, type Role } from '@/types/api'
import type { MessageKey } from '@/lib/i18n'
import { email, validate, type Validator } from '@/lib/validation'

export const ROLES: readonly Role[] = ['admin', 'coordinator', 'member']

export type InviteFormValues = { email: string; role: string }
export type InviteFormErrors = Partial<Record<keyof InviteFormValues, MessageKey>>

const role: Validator = (value) => (ROLES.includes(value as Role) ? null : 'validation.required')

export function validateInviteForm(values: InviteFormValues): InviteFormErrors {
  return validate(values, { email, role })
}

// What each role starts with; mirrors server/evoai/permissions.py so the checkboxes open on
// what the person would get anyway. The server merges what we send over these defaults.
const ROLE_DEFAULTS: Record<Role, readonly PermissionKey[]> = {
  admin: PERMISSION_KEYS,
  coordinator: ['canManageWhatsApp', 'canViewReports', 'canManageFlows', 'canManageContacts', 'canManagePrompt'],
  member: ['canManageContacts'],
}

/** Who is inviting: a non-admin manager may only hand out what they hold, never team management. */
export type Inviter = { isAdmin: boolean; permissions: Permissions }

export function canGrant(inviter: Inviter, key: PermissionKey): boolean {
  return inviter.isAdmin || (key !== 'canManageUsers' && inviter.permissions[key])
}

/** The checkboxes' starting point for a role: its defaults, minus what the inviter may not grant. */
export function initialPermissions(role: Role, inviter: Inviter): Permissions {
  const defaults = ROLE_DEFAULTS[role]
  return Object.fromEntries(
    PERMISSION_KEYS.map((key) => [key, defaults.includes(key) && canGrant(inviter, key)]),
  ) as Permissions
}

/** Roles the inviter may offer: only admins make admins. */
export const invitableRoles = (inviter: Inviter): readonly Role[] =>
  inviter.isAdmin ? ROLES : ROLES.filter((option) => option !== 'admin')
