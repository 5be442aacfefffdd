import { QueryClient } from '@tanstack/react-query'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { contactKeys } from '@/features/contacts/api/keys'
import { followupKeys } from './followups'
import { REFRESH_AT_MOST_EVERY_MS, followupRealtimeHandlers } from './realtime'

const keys = [followupKeys.rules, followupKeys.pending({ conversationId: 'c-1' }), followupKeys.history({}), followupKeys.metrics(30)]

function seeded() {
  const queryClient = new QueryClient()
  for (const key of [...keys, contactKeys.list({})]) queryClient.setQueryData(key, {})
  const invalidate = vi.spyOn(queryClient, 'invalidateQueries')
  return { queryClient, invalidate }
}

describe('followupRealtimeHandlers', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('marks every follow-up query stale on followups-changed, and nothing else', () => {
    const { queryClient } = seeded()
    followupRealtimeHandlers(queryClient)['followups-changed']()
    const stale = queryClient
      .getQueryCache()
      .getAll()
      .filter((query) => query.isStale())
      .map((query) => JSON.stringify(query.queryKey))
      .sort()
    expect(stale).toEqual(keys.map((key) => JSON.stringify(key)).sort())
  })

  it('refreshes a burst of events once at once and once after it', () => {
    vi.useFakeTimers()
    const { queryClient, invalidate } = seeded()
    const handlers = followupRealtimeHandlers(queryClient)
    for (let i = 0; i < 10; i += 1) handlers['followups-changed']()
    expect(invalidate).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(REFRESH_AT_MOST_EVERY_MS)
    expect(invalidate).toHaveBeenCalledTimes(2)
    vi.advanceTimersByTime(REFRESH_AT_MOST_EVERY_MS * 3)
    expect(invalidate).toHaveBeenCalledTimes(2)
  })
})
