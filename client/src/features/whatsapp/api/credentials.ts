import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, ApiError } from '@/lib/api-client'
import type { CreateCredentialInput, Credential, Sandbox } from './types'

export const whatsappKeys = {
  all: ['whatsapp'] as const,
  credentials: ['whatsapp', 'credentials'] as const,
  sandbox: ['whatsapp', 'sandbox'] as const,
  instances: ['whatsapp', 'instances'] as const,
  instance: (id: string) => ['whatsapp', 'instances', id] as const,
}

export const credentialsQueryOptions = queryOptions({
  queryKey: whatsappKeys.credentials,
  queryFn: ({ signal }) => api.get<Credential[]>('/api/whatsapp/provider-credentials', undefined, signal),
})

/** Admins only (the API answers 403 to everyone else). */
export const useCredentials = ({ enabled = true }: { enabled?: boolean } = {}) =>
  useQuery({ ...credentialsQueryOptions, enabled })

/** The sandbox gateway's details, or null when it does not run (404). */
export const sandboxQueryOptions = queryOptions({
  queryKey: whatsappKeys.sandbox,
  queryFn: async ({ signal }): Promise<Sandbox | null> => {
    try {
      return await api.get<Sandbox>('/api/whatsapp/sandbox', undefined, signal)
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null
      throw error
    }
  },
  staleTime: 5 * 60_000,
  retry: false,
})

export const useSandbox = ({ enabled = true }: { enabled?: boolean } = {}) => useQuery({ ...sandboxQueryOptions, enabled })

export function useCreateCredential() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: CreateCredentialInput) => api.post<Credential>('/api/whatsapp/provider-credentials', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: whatsappKeys.credentials }),
  })
}

export function useDeleteCredential() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/whatsapp/provider-credentials/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: whatsappKeys.credentials }),
  })
}
