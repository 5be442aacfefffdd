import { describe, expect, it } from 'vitest'
import { validateCredential, validateInstanceName } from './validation'

describe('validateInstanceName (mirrors the server)', () => {
  it.each([
    ['', 'validation.required'],
    ['   ', 'validation.required'],
    ['ab', 'whatsapp.instanceNameLength'],
    ['x'.repeat(51), 'whatsapp.instanceNameLength'],
    ['Vendas!', 'whatsapp.instanceNameChars'],
    ['loja/sp', 'whatsapp.instanceNameChars'],
    ['São Paulo', 'whatsapp.instanceNameChars'],
  ])('refuses %j', (value, key) => expect(validateInstanceName(value)).toBe(key))

  it.each(['abc', 'Vendas SP', 'loja_01-centro', 'x'.repeat(50), '  Suporte  '])('accepts %j', (value) =>
    expect(validateInstanceName(value)).toBeNull(),
  )
})

describe('validateCredential', () => {
  it('needs an http(s) URL and a key', () => {
    expect(validateCredential({ apiUrl: '', apiKey: '' })).toEqual({ apiUrl: 'validation.required', apiKey: 'validation.required' })
    expect(validateCredential({ apiUrl: 'evolution.local', apiKey: 'k' })).toEqual({ apiUrl: 'whatsapp.urlInvalid' })
    expect(validateCredential({ apiUrl: 'http://127.0.0.1:8080', apiKey: 'k' })).toEqual({})
  })
})
