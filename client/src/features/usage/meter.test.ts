import { describe, expect, it } from 'vitest'
import { meterLevel, meterPercent } from './meter'

describe('usage meter thresholds', () => {
  it.each([
    [0, 500, 'ok'],
    [399, 500, 'ok'],
    [400, 500, 'warning'], // exactly 80 %
    [499, 500, 'warning'],
    [500, 500, 'full'],
    [650, 500, 'full'],
    [0, 0, 'full'],
    [1_000_000, null, 'unlimited'],
    [3, 3, 'full'],
    [2, 3, 'ok'], // 66 %
  ] as const)('%s of %s is %s', (used, limit, level) => {
    expect(meterLevel(used, limit)).toBe(level)
  })

  it('clamps the bar between 0 and 100 %', () => {
    expect(meterPercent(250, 500)).toBe(50)
    expect(meterPercent(900, 500)).toBe(100)
    expect(meterPercent(10, null)).toBe(0)
    expect(meterPercent(0, 0)).toBe(100)
  })
})
