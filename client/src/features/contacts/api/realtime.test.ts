import { QueryClient } from '@tanstack/react-query'
import { describe, expect, it } from 'vitest'
import { contactKeys } from './keys'
import { contactsRealtimeHandlers } from './realtime'

function seeded() {
  const queryClient = new QueryClient()
  for (const key of [contactKeys.list({}), contactKeys.detail('c-ana'), contactKeys.detail('c-bruno'), contactKeys.timeline('c-ana'), contactKeys.tags]) {
    queryClient.setQueryData(key, {})
  }
  const stale = () =>
    queryClient
      .getQueryCache()
      .getAll()
      .filter((query) => query.isStale())
      .map((query) => JSON.stringify(query.queryKey))
      .sort()
  return { queryClient, stale }
}

describe('contactsRealtimeHandlers', () => {
  it('marks one contact and the lists stale on contact-updated {id}', () => {
    const { queryClient, stale } = seeded()
    contactsRealtimeHandlers(queryClient)['contact-updated']({ id: 'c-ana' })
    expect(stale()).toEqual(
      [contactKeys.list({}), contactKeys.detail('c-ana'), contactKeys.timeline('c-ana')].map((key) => JSON.stringify(key)).sort(),
    )
  })

  it('treats {id: null} (a bulk change) as "every list, tag count and contact"', () => {
    const { queryClient, stale } = seeded()
    contactsRealtimeHandlers(queryClient)['contact-updated']({ id: null })
    expect(stale()).toEqual(
      [contactKeys.list({}), contactKeys.detail('c-ana'), contactKeys.detail('c-bruno'), contactKeys.tags].map((key) => JSON.stringify(key)).sort(),
    )
  })

  it('ignores payloads without an id', () => {
    const { queryClient, stale } = seeded()
    contactsRealtimeHandlers(queryClient)['contact-updated']({})
    contactsRealtimeHandlers(queryClient)['contact-updated']('nonsense')
    expect(stale()).toEqual([])
  })
})
