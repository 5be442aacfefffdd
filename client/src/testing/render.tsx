import type { ReactElement, ReactNode } from 'react'
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query'
import { render } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { createQueryClient } from '@/lib/query-client'

/** Renders with a fresh query cache (no retries, so errors show at once) and a router. */
export function renderWithProviders(ui: ReactElement, { queryClient }: { queryClient?: QueryClient } = {}) {
  const client = queryClient ?? createQueryClient()
  client.setDefaultOptions({ queries: { retry: false, staleTime: Infinity } })
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={client}>
      <MemoryRouter>{children}</MemoryRouter>
    </QueryClientProvider>
  )
  return { user: userEvent.setup(), queryClient: client, ...render(ui, { wrapper }) }
}
