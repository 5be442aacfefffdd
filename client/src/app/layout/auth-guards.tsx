import type { ReactNode } from 'react'
import { Navigate, Outlet, useLocation } from 'react-router'
import { useAuthStore, useIsAuthenticated } from '@/lib/auth-store'
import { safeNextPath } from '@/lib/next-path'

type FromState = { from?: string } | null

export function RequireAuth({ children }: { children: ReactNode }) {
  const authenticated = useIsAuthenticated()
  const endedBy = useAuthStore((state) => state.endedBy)
  const location = useLocation()
  if (!authenticated) {
    // After "Sair" the next person starts on the dashboard, not on the last user's page.
    const from = `${location.pathname}${location.search}`
    return <Navigate to="/login" replace state={endedBy !== 'logout' && from !== '/' ? { from } : null} />
  }
  return children
}

/**
 * Login and register pages: once tokens exist, go back where the user was heading — an explicit
 * `?next=/path` (e.g. from an invitation link) first, then the page a session expiry interrupted.
 */
export function RedirectIfAuthenticated() {
  const authenticated = useIsAuthenticated()
  const location = useLocation()
  if (authenticated) {
    const next = safeNextPath(new URLSearchParams(location.search).get('next'))
    return <Navigate to={next ?? (location.state as FromState)?.from ?? '/'} replace />
  }
  return <Outlet />
}
