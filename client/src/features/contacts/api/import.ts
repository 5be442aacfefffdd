import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import { contactKeys } from './keys'
import type { ImportResult } from './types'

export const IMPORT_MAX_BYTES = 5 * 1024 * 1024
/** The API takes at most 20 tag ids per import. */
export const IMPORT_MAX_TAGS = 20

export type ImportInput = { file: File; dryRun: boolean; tagIds: string[] }

export function useImportContacts() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ file, dryRun, tagIds }: ImportInput) => {
      const form = new FormData()
      form.append('file', file)
      form.append('dryRun', String(dryRun))
      if (tagIds.length > 0) form.append('tagIds', tagIds.join(','))
      return api.post<ImportResult>('/api/contacts/import', form)
    },
    onSuccess: async (_, { dryRun }) => {
      if (dryRun) return
      // Rows may carry tag names the server created on the way.
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: contactKeys.lists }),
        queryClient.invalidateQueries({ queryKey: contactKeys.tags }),
      ])
    },
  })
}
