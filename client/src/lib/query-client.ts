import { QueryClient } from '@tanstack/react-query'
import { ApiError } from './api-client'

// 4xx answers will not change on retry; network errors and 5xx might.
const shouldRetry = (failureCount: number, error: unknown) =>
  failureCount < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500)

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 30_000, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  })
}

export const queryClient = createQueryClient()

/**
 * After the session changes to another user or company: nothing cached for the old one may be
 * shown. Drops what is not on screen and reloads what is, starting from an empty state.
 */
export async function restartQueries(client: QueryClient): Promise<void> {
  await client.cancelQueries()
  client.removeQueries({ type: 'inactive' })
  await client.resetQueries()
}
