import { render, screen } from '@testing-library/react'
import { MemoryRouter, Route, Routes, useLocation, useParams } from 'react-router'
import { describe, expect, it } from 'vitest'
import { useAuthStore } from '@/lib/auth-store'
import { RedirectIfAuthenticated, RequireAuth } from './auth-guards'

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
