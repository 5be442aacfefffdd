import { describe, expect, it } from 'vitest'
import { filterQuery, listQuery, nextSort, parseListParams, toSearchParams } from './query'

describe('list params in the address bar', () => {
  it('round-trips every filter and leaves the defaults out', () => {
    const params = {
      search: 'ana',
      tagIds: ['t1', 't2'],
      tagMatch: 'all' as const,
      funnelId: 'f1',
      stageId: 's1',
      isBlocked: false,
      createdFrom: '2030-01-01',
      createdTo: '2030-01-31',
      activityFrom: '2030-02-01',
      activityTo: '2030-02-28',
      sort: 'name' as const,
      page: 3,
      limit: 100,
    }
    expect(parseListParams(toSearchParams(params))).toEqual(params)
    expect(toSearchParams({ sort: '-createdAt', page: 1, limit: 50, tagMatch: 'all' }).toString()).toBe('')
  })

  it('ignores malformed values from old or hand-edited links', () => {
    const parsed = parseListParams(new URLSearchParams('sort=random&page=-2&limit=7&isBlocked=maybe&createdFrom=ontem&tagIds=,'))
    expect(parsed).toEqual({})
  })
})

describe('API query', () => {
  it('joins tag ids, says how to match them, and sends the days as they are', () => {
    const query = filterQuery({ tagIds: ['t1', 't2'], isBlocked: true, createdFrom: '2030-01-01', createdTo: '2030-01-31' })
    expect(query).toEqual({
      tagIds: 't1,t2',
      tagMatch: 'any',
      isBlocked: true,
      createdFrom: '2030-01-01',
      createdTo: '2030-01-31',
      sort: '-createdAt',
    })
    expect(listQuery({})).toEqual({ page: 1, limit: 50, sort: '-createdAt' })
  })
})

describe('nextSort', () => {
  it('opens dates newest first and names A→Z, then flips', () => {
    expect(nextSort('-createdAt', 'name')).toBe('name')
    expect(nextSort('name', 'name')).toBe('-name')
    expect(nextSort('-name', 'name')).toBe('name')
    expect(nextSort('name', 'lastActivityAt')).toBe('-lastActivityAt')
    expect(nextSort('-createdAt', 'createdAt')).toBe('createdAt')
  })
})
