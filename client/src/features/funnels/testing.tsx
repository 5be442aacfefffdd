import { QueryClientProvider } from '@tanstack/react-query'
import { render } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { createMemoryRouter, RouterProvider } from 'react-router'
import FunnelsRoute from '@/app/routes/funnels'
import { meQueryOptions } from '@/features/auth/api/me'
import type { MeWithCompany } from '@/features/auth/api/types'
import { useAuthStore } from '@/lib/auth-store'
import { createQueryClient } from '@/lib/query-client'
import { makeMe } from '@/testing/fixtures'

/** The funnels route as the app mounts it, with a signed-in member and a router we can inspect. */
export function renderFunnelsRoute(path: string, me: MeWithCompany = makeMe()) {
  useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
  const queryClient = createQueryClient()
  queryClient.setDefaultOptions({ queries: { retry: false, staleTime: Infinity } })
  queryClient.setQueryData(meQueryOptions.queryKey, me)
  const router = createMemoryRouter(
    [
      { path: '/funnels/:funnelId?', element: <FunnelsRoute /> },
      { path: '/contacts/:contactId', element: <p>contact page</p> },
    ],
    { initialEntries: [path] },
  )
  const view = render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  )
  return { ...view, user: userEvent.setup(), router, queryClient }
}
