import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { contactPath } from './contacts'
import { contactKeys } from './keys'
import type { TimelinePage } from './types'

export const TIMELINE_PAGE_SIZE = 50

export const timelineQueryOptions = (contactId: string) =>
  infiniteQueryOptions({
    queryKey: contactKeys.timeline(contactId),
    queryFn: ({ pageParam, signal }) =>
      api.get<TimelinePage>(contactPath(contactId, 'timeline'), { limit: TIMELINE_PAGE_SIZE, before: pageParam }, signal),
    // Newest first: the next page is older, asked for with the cursor the last page gave.
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  })

export const useTimeline = (contactId: string) => useInfiniteQuery(timelineQueryOptions(contactId))
