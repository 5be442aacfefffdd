import { describe, expect, it } from 'vitest'
import { validateMemberForm } from './validation'

const valid = { email: 'ana@example.com', fullName: 'Ana Lima', role: 'member', password: 'segredo123' }

describe('validateMemberForm', () => {
  it('accepts a complete new member', () => {
    expect(validateMemberForm(valid)).toEqual({})
  })

  it('accepts an existing user invited by email and role only', () => {
    expect(validateMemberForm({ ...valid, fullName: '', password: '' })).toEqual({})
  })

  it('reports each invalid field with its message key', () => {
    expect(validateMemberForm({ email: 'ana@', fullName: 'A', role: 'owner', password: 'short' })).toEqual({
      email: 'validation.email',
      fullName: 'validation.nameLength',
      role: 'validation.required',
      password: 'validation.passwordMin',
    })
  })

  it('requires the email', () => {
    expect(validateMemberForm({ ...valid, email: '   ' })).toEqual({ email: 'validation.required' })
  })
})
