import { render, screen } from '@testing-library/react'
import { MemoryRouter, Route, Routes, useLocation } from 'react-router'
import { describe, expect, it } from 'vitest'
import { useAuthStore } from '@/lib/auth-store'
import { RedirectIfAuthenticated, RequireAuth } from './auth-guards'

function LoginProbe() {
  const state = useLocation().state as { from?: string } | null
  return <p>login page, from={state?.from ?? 'none'}</p>
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
})
