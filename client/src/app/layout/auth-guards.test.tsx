import { QueryClientProvider } from '@tanstack/react-query'
import { act, render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter, Route, Routes, useLocation, useParams } from 'react-router'
import { describe, expect, it } from 'vitest'
import { AUTH_STORAGE_KEY, useAuthStore } from '@/lib/auth-store'
import { createQueryClient } from '@/lib/query-client'
import { bearerOf, fail, ok, stubFetch, type FetchHandler } from '@/testing/fetch-mock'
import { makeMe, makeMeWithoutCompany } from '@/testing/fixtures'
import { RedirectIfAuthenticated, RequireAuth, RequireCompany } from './auth-guards'

function LoginProbe() {
  const state = useLocation().state as { from?: string } | null
  return <p>login page, from={state?.from ?? 'none'}</p>
}

function InviteProbe() {
  return <p>invite page {useParams().token}</p>
}

const renderAt = (path: string) =>
  render(
    <MemoryRouter initialEntries={[path]}>
      <Routes>
        <Route element={<RedirectIfAuthenticated />}>
          <Route path="/login" element={<LoginProbe />} />
        </Route>
        <Route path="/settings/team" element={<RequireAuth>team page</RequireAuth>} />
      </Routes>
    </MemoryRouter>,
  )

describe('auth guards', () => {
  it('lets a signed-in user through', () => {
    useAuthStore.getState().setTokens({ accessToken: 'a', refreshToken: 'r' })
    renderAt('/settings/team')
    expect(screen.getByText('team page')).toBeInTheDocument()
  })

  it('sends an expired session to login and remembers the page', () => {
    useAuthStore.getState().clearTokens('expiry')
    renderAt('/settings/team')
    expect(screen.getByText('login page, from=/settings/team')).toBeInTheDocument()
  })

  it('forgets the page after an explicit logout', () => {
    useAuthStore.getState().clearTokens('logout')
    renderAt('/settings/team')
    expect(screen.getByText('login page, from=none')).toBeInTheDocument()
  })

  it('sends a signed-in user away from the login page', () => {
    useAuthStore.getState().setTokens({ accessToken: 'a', refreshToken: 'r' })
    render(
      <MemoryRouter initialEntries={['/login']}>
        <Routes>
          <Route element={<RedirectIfAuthenticated />}>
            <Route path="/login" element={<LoginProbe />} />
          </Route>
          <Route path="/" element={<p>dashboard</p>} />
        </Routes>
      </MemoryRouter>,
    )
    expect(screen.getByText('dashboard')).toBeInTheDocument()
  })

  it.each([
    ['/login?next=%2Finvite%2Ftok123', 'invite page tok123'],
    ['/login?next=/invite/tok123', 'invite page tok123'],
    ['/login?next=%2F%2Fevil.com', 'dashboard'],
    ['/login?next=https%3A%2F%2Fevil.com%2Finvite%2Ftok123', 'dashboard'],
    ['/login?next=%2F%5Cevil.com', 'dashboard'],
  ])('after login at %s, goes to the %s', (entry, expected) => {
    useAuthStore.getState().setTokens({ accessToken: 'a', refreshToken: 'r' })
    render(
      <MemoryRouter initialEntries={[entry]}>
        <Routes>
          <Route element={<RedirectIfAuthenticated />}>
            <Route path="/login" element={<LoginProbe />} />
          </Route>
          <Route path="/" element={<p>dashboard</p>} />
          <Route path="/invite/:token" element={<InviteProbe />} />
        </Routes>
      </MemoryRouter>,
    )
    expect(screen.getByText(expected)).toBeInTheDocument()
  })

  it('prefers ?next over the page an expiry interrupted', () => {
    useAuthStore.getState().setTokens({ accessToken: 'a', refreshToken: 'r' })
    render(
      <MemoryRouter initialEntries={[{ pathname: '/login', search: '?next=/invite/tok123', state: { from: '/settings/team' } }]}>
        <Routes>
          <Route element={<RedirectIfAuthenticated />}>
            <Route path="/login" element={<LoginProbe />} />
          </Route>
          <Route path="/invite/:token" element={<InviteProbe />} />
          <Route path="/settings/team" element={<p>team page</p>} />
        </Routes>
      </MemoryRouter>,
    )
    expect(screen.getByText('invite page tok123')).toBeInTheDocument()
  })
})

describe('RequireCompany', () => {
  function renderShellAt(handler: FetchHandler) {
    const fetchMock = stubFetch(handler)
    const queryClient = createQueryClient()
    queryClient.setDefaultOptions({ queries: { retry: false } })
    render(
      <QueryClientProvider client={queryClient}>
        <MemoryRouter initialEntries={['/settings/team']}>
          <Routes>
            <Route element={<RedirectIfAuthenticated />}>
              <Route path="/login" element={<LoginProbe />} />
            </Route>
            <Route
              path="/settings/team"
              element={
                <RequireAuth>
                  <RequireCompany>shell</RequireCompany>
                </RequireAuth>
              }
            />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>,
    )
    return fetchMock
  }

  it('shows the shell to a member of a company', async () => {
    useAuthStore.getState().setTokens({ accessToken: 'a', refreshToken: 'r' })
    renderShellAt(() => ok(makeMe()))
    expect(await screen.findByText('shell')).toBeInTheDocument()
  })

  it('without a company: says so instead of the shell, and signs out', async () => {
    useAuthStore.getState().setTokens({ accessToken: 'a', refreshToken: 'r' })
    const fetchMock = renderShellAt(({ url }) => (url === '/api/auth/me' ? ok(makeMeWithoutCompany()) : ok(null)))

    const page = await screen.findByTestId('no-company')
    expect(screen.getByRole('heading')).toHaveTextContent(
      'Você ainda não faz parte de nenhuma empresa — peça um convite a um administrador',
    )
    expect(page).toHaveTextContent('ana@example.com')
    expect(screen.queryByText('shell')).not.toBeInTheDocument()
    // Nothing that needs a company is requested.
    expect(fetchMock.mock.calls.map(([url]) => url)).toEqual(['/api/auth/me'])

    await userEvent.setup().click(screen.getByTestId('no-company-logout'))
    expect(await screen.findByText('login page, from=none')).toBeInTheDocument()
    expect(fetchMock.mock.calls.map(([url]) => url)).toContain('/api/auth/logout')
    expect(useAuthStore.getState().accessToken).toBeNull()
  })

  it('without the company in the token but with others: opens one of them', async () => {
    useAuthStore.getState().setTokens({ accessToken: 'token-old', refreshToken: 'r' })
    renderShellAt(({ url, init }) => {
      if (url === '/api/auth/switch-company') return ok({ accessToken: 'token-b', refreshToken: 'r-b', expiresIn: 900, companyId: 'company-b' })
      if (bearerOf(init) === 'Bearer token-b') return ok(makeMe({ activeCompanyId: 'company-b', companyId: 'company-b' }))
      if (url === '/api/auth/me') return ok(makeMeWithoutCompany({ companies: [{ id: 'company-b', name: 'Clínica Beta', role: 'member' }] }))
      return fail(404, 'Not found', 'not_found')
    })

    await userEvent.setup().click(await screen.findByTestId('no-company-open-company-b'))
    expect(await screen.findByText('shell')).toBeInTheDocument()
    expect(useAuthStore.getState().accessToken).toBe('token-b')
  })
})

describe('auth guards across tabs', () => {
  it('a logout in another tab sends this one to the login page', async () => {
    useAuthStore.getState().setTokens({ accessToken: 'a', refreshToken: 'r' })
    renderAt('/settings/team')
    expect(screen.getByText('team page')).toBeInTheDocument()

    await act(async () => {
      const newValue = JSON.stringify({ state: { accessToken: null, refreshToken: null, endedBy: 'logout' }, version: 0 })
      localStorage.setItem(AUTH_STORAGE_KEY, newValue)
      window.dispatchEvent(new StorageEvent('storage', { key: AUTH_STORAGE_KEY, newValue, storageArea: localStorage }))
      await Promise.resolve()
    })
    expect(screen.getByText('login page, from=none')).toBeInTheDocument()
  })
})
