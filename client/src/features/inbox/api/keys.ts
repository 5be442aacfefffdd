import type { ConversationFilters } from './types'

/** Filters with the empty values left out, so equal filters share one cache entry. */
export function normaliseFilters(filters: ConversationFilters): ConversationFilters {
  const result: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined || value === '' || value === false || (Array.isArray(value) && value.length === 0)) continue
    result[key] = value
  }
  return result
}

export const inboxKeys = {
  all: ['inbox'] as const,
  lists: ['inbox', 'conversations'] as const,
  list: (filters: ConversationFilters) => ['inbox', 'conversations', normaliseFilters(filters)] as const,
  conversation: (id: string) => ['inbox', 'conversation', id] as const,
  messages: (id: string) => ['inbox', 'messages', id] as const,
}
