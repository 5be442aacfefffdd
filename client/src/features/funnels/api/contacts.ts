import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { funnelKeys } from './keys'
import type { ContactOption } from './types'

// Only what the deal form's picker needs from GET /api/contacts (the contacts feature owns the rest).
type ContactSummary = { id: string; displayName: string; phoneNumber: string | null }
type ContactPage = { contacts: ContactSummary[] }

export const useContactOptions = (search: string) =>
  useQuery({
    queryKey: funnelKeys.contacts(search),
    queryFn: async ({ signal }): Promise<ContactOption[]> => {
      const page = await api.get<ContactPage>('/api/contacts', { search, limit: 8 }, signal)
      return page.contacts.map(({ id, displayName, phoneNumber }) => ({ id, displayName, phoneNumber }))
    },
    enabled: search.trim().length > 0,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  })
