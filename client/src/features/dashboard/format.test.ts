import { describe, expect, it } from 'vitest'
import { formatWait } from './format'

describe('formatWait', () => {
  it('uses the coarsest units that matter', () => {
    expect(formatWait(0)).toBe('0 s')
    expect(formatWait(59.4)).toBe('59 s')
    expect(formatWait(600)).toBe('10 min')
    expect(formatWait(3 * 3600 + 5 * 60)).toBe('3 h 05 min')
    expect(formatWait(2 * 86400 + 4 * 3600 + 59)).toBe('2 d 4 h')
  })
})
