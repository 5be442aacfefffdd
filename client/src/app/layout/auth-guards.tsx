import type { ReactNode } from 'react'
import { Navigate, Outlet, useLocation } from 'react-router'
import { PageLoading } from '@/components/page-loading'
import { hasCompany, useMe } from '@/features/auth/api/me'
import { NoCompanyPage } from '@/features/auth/components/no-company-page'
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
 * Inside RequireAuth: the shell and its pages need a company. Someone signed in who belongs to
 * none gets a page that says so (and lets them sign out) instead. If /me fails, the shell shows
 * the error with a retry.
 */
export function RequireCompany({ children }: { children: ReactNode }) {
  const me = useMe()
  if (me.isPending) return <PageLoading />
  if (me.data && !hasCompany(me.data)) return <NoCompanyPage me={me.data} />
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
