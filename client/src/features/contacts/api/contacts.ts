import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { api, apiFetch } from '@/lib/api-client'
import { contactKeys } from './keys'
import { listQuery } from './query'
import type { Contact, ContactInput, ContactListParams, ContactPage, EraseResult } from './types'

export const contactPath = (id: string, action?: string) =>
  `/api/contacts/${encodeURIComponent(id)}${action ? `/${action}` : ''}`

export const contactsQueryOptions = (params: ContactListParams) =>
  queryOptions({
    queryKey: contactKeys.list(params),
    queryFn: ({ signal }) => api.get<ContactPage>('/api/contacts', listQuery(params), signal),
  })

// The previous page stays on screen while the next one loads, so the table does not jump.
export const useContacts = (params: ContactListParams) =>
  useQuery({ ...contactsQueryOptions(params), placeholderData: keepPreviousData })

export const contactQueryOptions = (id: string) =>
  queryOptions({
    queryKey: contactKeys.detail(id),
    queryFn: ({ signal }) => api.get<Contact>(contactPath(id), undefined, signal),
  })

export const useContact = (id: string) => useQuery(contactQueryOptions(id))

/** After a contact changed: its page, its timeline (the server logs the change) and every list. */
export async function refreshContact(queryClient: QueryClient, id: string): Promise<void> {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: contactKeys.detail(id) }),
    queryClient.invalidateQueries({ queryKey: contactKeys.timeline(id) }),
    queryClient.invalidateQueries({ queryKey: contactKeys.lists }),
  ])
}

export function useCreateContact() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: ContactInput) => api.post<Contact>('/api/contacts', input),
    onSuccess: async (contact) => {
      queryClient.setQueryData(contactKeys.detail(contact.id), contact)
      await queryClient.invalidateQueries({ queryKey: contactKeys.lists })
    },
  })
}

export function useUpdateContact(id: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async (input: ContactInput) =>
      (await apiFetch<Contact>(contactPath(id), { method: 'PUT', body: input })).data,
    onSuccess: async (contact) => {
      queryClient.setQueryData(contactKeys.detail(id), contact)
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: contactKeys.timeline(id) }),
        queryClient.invalidateQueries({ queryKey: contactKeys.lists }),
      ])
    },
  })
}

export function useToggleBlock(id: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () => api.post<{ id: string; isBlocked: boolean; updatedAt: string }>(contactPath(id, 'toggle-block')),
    onSuccess: async ({ isBlocked, updatedAt }) => {
      queryClient.setQueryData<Contact>(contactKeys.detail(id), (current) => current && { ...current, isBlocked, updatedAt })
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: contactKeys.timeline(id) }),
        queryClient.invalidateQueries({ queryKey: contactKeys.lists }),
      ])
    },
  })
}

/**
 * Drops everything cached about an erased contact, so nothing of it shows again (not even for a
 * moment on "back"). Call it once its page is gone: removing the queries of a mounted page
 * would only make it fetch them again.
 */
export function forgetContact(queryClient: QueryClient, id: string): void {
  for (const key of [contactKeys.detail(id), contactKeys.notes(id), contactKeys.timeline(id)]) {
    queryClient.removeQueries({ queryKey: key })
  }
}

/** LGPD erasure; `confirm` is the contact's phone number (or name when it has none). */
export function useEraseContact(id: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (confirm: string) => api.post<EraseResult>(contactPath(id, 'erase'), { confirm }),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: contactKeys.lists }),
        queryClient.invalidateQueries({ queryKey: contactKeys.tags }),
      ]),
  })
}
