import { describe, expect, it } from 'vitest'
import { amountText, daysSince, formatBytes, parseAmount } from './format'

describe('deal formatting', () => {
  it('reads amounts typed the Brazilian or the plain way', () => {
    expect(parseAmount('1.500,50')).toBe(1500.5)
    expect(parseAmount('R$ 2.000')).toBe(2000)
    expect(parseAmount('1500.5')).toBe(1500.5)
    expect(parseAmount('10.25')).toBe(10.25)
    expect(parseAmount('1.234.567')).toBe(1234567)
    expect(parseAmount('0')).toBe(0)
    expect(parseAmount('')).toBeNull()
    expect(parseAmount('-3')).toBeNull()
    expect(parseAmount('abc')).toBeNull()
    expect(amountText(1500.5, 'pt-BR')).toBe('1500,5')
  })

  it('counts whole days in a stage and formats file sizes', () => {
    const now = new Date('2030-01-10T12:00:00Z')
    expect(daysSince('2030-01-07T13:00:00Z', now)).toBe(2)
    expect(daysSince('2030-01-11T00:00:00Z', now)).toBe(0)
    expect(formatBytes(512, 'pt-BR')).toBe('512 B')
    expect(formatBytes(1536, 'pt-BR')).toBe('1,5 KB')
    expect(formatBytes(5 * 1024 * 1024, 'en')).toBe('5 MB')
  })
})
