import { describe, expect, it } from 'vitest'
import { loginPathReturningTo, safeNextPath } from './next-path'

describe('safeNextPath', () => {
  it('accepts paths inside the app, with their query and hash', () => {
    expect(safeNextPath('/invite/abc123')).toBe('/invite/abc123')
    expect(safeNextPath('/settings/team?tab=1#x')).toBe('/settings/team?tab=1#x')
  })

  it.each([
    ['//evil.com'],
    ['//evil.com/invite/abc'],
    ['/\\evil.com'],
    ['\\\\evil.com'],
    ['https://evil.com/invite/abc'],
    ['http:/evil.com'],
    ['javascript:alert(1)'],
    ['invite/abc'],
    ['/\t/evil.com'],
    // Dot segments that collapse into "//host" once the URL is normalised.
    ['/.//evil.example'],
    ['/a/..//evil.example'],
    ['/%2e//evil.example'],
    ['/%2E%2E//evil.example'],
    ['/\\evil.example'],
    ['/\\\\evil.example'],
    ['/\n/evil.com'],
    [''],
    [null],
    [undefined],
  ])('rejects %j', (value) => {
    expect(safeNextPath(value)).toBeNull()
  })

  it('keeps harmless dot segments once they resolve to a single-slash path', () => {
    expect(safeNextPath('/a/../invite/abc')).toBe('/invite/abc')
    expect(safeNextPath('/./settings/team')).toBe('/settings/team')
  })

  it('builds a login link that survives the round trip', () => {
    const link = loginPathReturningTo('/invite/a b?x=1')
    const next = new URL(link, 'http://app.test').searchParams.get('next')
    expect(safeNextPath(next)).toBe('/invite/a%20b?x=1')
  })
})
