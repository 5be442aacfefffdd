export const funnelKeys = {
  all: ['funnels'] as const,
  list: ['funnels', 'list'] as const,
  boards: ['funnels', 'board'] as const,
  board: (funnelId: string) => ['funnels', 'board', funnelId] as const,
  search: (funnelId: string, q: string) => ['funnels', 'search', funnelId, q] as const,
  stats: (funnelId: string) => ['funnels', 'stats', funnelId] as const,
  contacts: (search: string) => ['funnels', 'contact-options', search] as const,
}

export const dealKeys = {
  all: ['deals'] as const,
  detail: (id: string) => ['deals', id] as const,
  notes: (id: string) => ['deals', id, 'notes'] as const,
  attachments: (id: string) => ['deals', id, 'attachments'] as const,
  activities: (id: string) => ['deals', id, 'activities'] as const,
}
