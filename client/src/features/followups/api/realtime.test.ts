import { QueryClient } from '@tanstack/react-query'
import { describe, expect, it } from 'vitest'
import { contactKeys } from '@/features/contacts/api/keys'
import { followupKeys } from './followups'
import { followupRealtimeHandlers } from './realtime'

describe('followupRealtimeHandlers', () => {
  it('marks every follow-up query stale on followups-changed, and nothing else', () => {
    const queryClient = new QueryClient()
    const keys = [followupKeys.rules, followupKeys.pending({ conversationId: 'c-1' }), followupKeys.history({}), followupKeys.metrics(30)]
    for (const key of [...keys, contactKeys.list({})]) queryClient.setQueryData(key, {})
    followupRealtimeHandlers(queryClient)['followups-changed']()
    const stale = queryClient
      .getQueryCache()
      .getAll()
      .filter((query) => query.isStale())
      .map((query) => JSON.stringify(query.queryKey))
      .sort()
    expect(stale).toEqual(keys.map((key) => JSON.stringify(key)).sort())
  })
})
