import { screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { useAuthStore } from '@/lib/auth-store'
import { fail, ok, stubFetch } from '@/testing/fetch-mock'
import { allPermissions, makeMe } from '@/testing/fixtures'
import { renderWithProviders } from '@/testing/render'
import type { Me } from '@/features/auth/api/types'
import TeamRoute from './team'

const member = {
  id: 'm1',
  userId: 'user-1',
  email: 'ana@example.com',
  fullName: 'Ana Lima',
  role: 'member',
  permissions: allPermissions,
  createdAt: '2030-01-01T12:00:00Z',
}

function renderTeamFor(me: Me) {
  useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
  const fetchMock = stubFetch(({ url }) => {
    if (url === '/api/auth/me') return ok(me)
    if (url === '/api/company/members') return ok([member])
    if (url === '/api/company/invitations') return ok([])
    return fail(404, 'Not found', 'not_found')
  })
  renderWithProviders(<TeamRoute />)
  return fetchMock
}

const requested = (fetchMock: ReturnType<typeof stubFetch>) => fetchMock.mock.calls.map(([url]) => url)

describe('Team page', () => {
  it('shows (and loads) pending invitations to a manager', async () => {
    const fetchMock = renderTeamFor(makeMe({ role: 'member', permissions: { ...allPermissions, canManageUsers: true } }))
    expect(await screen.findByTestId('invitations-empty')).toBeInTheDocument()
    expect(screen.getByTestId('invitations')).toHaveTextContent('Convites pendentes')
    expect(requested(fetchMock)).toContain('/api/company/invitations')
  })

  it('neither shows nor loads them for someone who cannot manage the team', async () => {
    const fetchMock = renderTeamFor(makeMe({ role: 'member', permissions: { ...allPermissions, canManageUsers: false } }))
    expect(await screen.findByTestId('member-row')).toBeInTheDocument()
    expect(await screen.findByText(/Somente administradores/)).toBeInTheDocument()
    expect(screen.queryByTestId('invitations')).not.toBeInTheDocument()
    expect(screen.queryByTestId('team-invite-member')).not.toBeInTheDocument()
    expect(requested(fetchMock)).not.toContain('/api/company/invitations')
  })
})
