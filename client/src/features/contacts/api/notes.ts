import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { contactPath } from './contacts'
import { contactKeys } from './keys'
import type { Note } from './types'

export const NOTE_MAX_LENGTH = 10_000

export const notesQueryOptions = (contactId: string) =>
  queryOptions({
    queryKey: contactKeys.notes(contactId),
    queryFn: ({ signal }) => api.get<Note[]>(contactPath(contactId, 'notes'), undefined, signal),
  })

export const useNotes = (contactId: string) => useQuery(notesQueryOptions(contactId))

export function useAddNote(contactId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (content: string) => api.post<Note>(contactPath(contactId, 'notes'), { content }),
    onSuccess: async (note) => {
      queryClient.setQueryData<Note[]>(contactKeys.notes(contactId), (current) => [note, ...(current ?? [])])
      await queryClient.invalidateQueries({ queryKey: contactKeys.timeline(contactId) })
    },
  })
}

export function useDeleteNote(contactId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (noteId: string) => api.delete(contactPath(contactId, `notes/${encodeURIComponent(noteId)}`)),
    onSuccess: (_, noteId) => {
      queryClient.setQueryData<Note[]>(contactKeys.notes(contactId), (current) => current?.filter((note) => note.id !== noteId))
    },
  })
}
