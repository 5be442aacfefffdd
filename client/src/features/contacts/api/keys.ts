import type { ContactListParams } from './types'

export const contactKeys = {
  all: ['contacts'] as const,
  lists: ['contacts', 'list'] as const,
  list: (params: ContactListParams) => ['contacts', 'list', params] as const,
  details: ['contacts', 'detail'] as const,
  detail: (id: string) => ['contacts', 'detail', id] as const,
  notes: (id: string) => ['contacts', 'notes', id] as const,
  timeline: (id: string) => ['contacts', 'timeline', id] as const,
  tags: ['contacts', 'tags'] as const,
}
