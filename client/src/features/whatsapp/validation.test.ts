import { describe, expect, it } from 'vitest'
import { normaliseInstanceName, validateCredential, validateInstanceName } from './validation'

describe('validateInstanceName (mirrors the server: ^[\\w\\- ]{3,50}$ with Unicode \\w)', () => {
  it.each([
    ['', 'validation.required'],
    ['   ', 'validation.required'],
    ['\t\n', 'validation.required'],
    ['ab', 'whatsapp.instanceNameLength'],
    // Collapsed and trimmed first: this is "ab".
    ['  ab \t  ', 'whatsapp.instanceNameLength'],
    ['x'.repeat(51), 'whatsapp.instanceNameLength'],
    ['ã'.repeat(51), 'whatsapp.instanceNameLength'],
    ['Vendas!', 'whatsapp.instanceNameChars'],
    ['loja/sp', 'whatsapp.instanceNameChars'],
    ['loja.sp', 'whatsapp.instanceNameChars'],
    ['Vendas 🚀', 'whatsapp.instanceNameChars'],
    ['São+Paulo', 'whatsapp.instanceNameChars'],
  ])('refuses %j', (value, key) => expect(validateInstanceName(value)).toBe(key))

  it.each([
    'abc',
    'Vendas SP',
    'loja_01-centro',
    'x'.repeat(50),
    '  Suporte  ',
    'São Paulo',
    'Açaí da Esquina',
    'Atendimento  Ribeirão\tPreto',
    // Collapsed to "a b": three characters.
    '  a    b  ',
    'Ünïcödé',
    'Продажи',
    '東京店',
    '١٢٣',
    // Python counts code points: an astral letter is one, though it takes two UTF-16 units.
    'ã'.repeat(50),
    '𝐀'.repeat(50),
    // "a" followed by a combining tilde becomes "ã" (NFC) before the check.
    'Sa\u0303o Paulo',
  ])('accepts %j', (value) => expect(validateInstanceName(value)).toBeNull())

  it('normalises the name the way the server stores it', () => {
    expect(normaliseInstanceName('  Atendimento \t  São   Paulo \n')).toBe('Atendimento São Paulo')
    expect(normaliseInstanceName('Sa\u0303o')).toBe('São')
  })
})

describe('validateCredential', () => {
  it('needs an http(s) URL and a key', () => {
    expect(validateCredential({ apiUrl: '', apiKey: '' })).toEqual({ apiUrl: 'validation.required', apiKey: 'validation.required' })
    expect(validateCredential({ apiUrl: 'evolution.local', apiKey: 'k' })).toEqual({ apiUrl: 'whatsapp.urlInvalid' })
    expect(validateCredential({ apiUrl: 'http://127.0.0.1:8080', apiKey: 'k' })).toEqual({})
  })
})
