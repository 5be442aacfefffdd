import { describe, expect, it } from 'vitest'
import { allPermissions } from '@/testing/fixtures'
import { canGrant, initialPermissions, invitableRoles, validateInviteForm } from './validation'

const admin = { isAdmin: true, permissions: allPermissions }
const manager = {
  isAdmin: false,
  permissions: { ...allPermissions, canManageWhatsApp: false },
}

describe('validateInviteForm', () => {
  it('accepts an email and a role', () => {
    expect(validateInviteForm({ email: 'ana@example.com', role: 'member' })).toEqual({})
  })

  it('reports each invalid field with its message key', () => {
    expect(validateInviteForm({ email: 'ana@', role: 'owner' })).toEqual({
      email: 'validation.email',
      role: 'validation.required',
    })
    expect(validateInviteForm({ email: '   ', role: 'member' })).toEqual({ email: 'validation.required' })
  })
})

describe('invitation permissions', () => {
  it("start from the role's defaults", () => {
    expect(initialPermissions('member', admin)).toEqual({
      canManageUsers: false,
      canManageWhatsApp: false,
      canViewReports: false,
      canManageFlows: false,
      canManageContacts: true,
      canManagePrompt: false,
    })
    expect(initialPermissions('admin', admin)).toEqual(allPermissions)
  })

  it('leave out what a non-admin manager cannot grant', () => {
    expect(canGrant(manager, 'canManageUsers')).toBe(false)
    expect(canGrant(manager, 'canManageWhatsApp')).toBe(false)
    expect(canGrant(manager, 'canViewReports')).toBe(true)
    expect(initialPermissions('coordinator', manager)).toMatchObject({ canManageWhatsApp: false, canViewReports: true })
    expect(invitableRoles(manager)).toEqual(['coordinator', 'member'])
    expect(invitableRoles(admin)).toEqual(['admin', 'coordinator', 'member'])
  })
})
