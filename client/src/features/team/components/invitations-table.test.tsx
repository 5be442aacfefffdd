import { screen, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { useAuthStore } from '@/lib/auth-store'
import { ok, stubFetch } from '@/testing/fetch-mock'
import { allPermissions } from '@/testing/fixtures'
import { renderWithProviders } from '@/testing/render'
import type { Invitation } from '../api/invitations'
import { InvitationsTable } from './invitations-table'

const pending: Invitation = {
  id: 'inv-1',
  email: 'joao@example.com',
  role: 'coordinator',
  permissions: allPermissions,
  invitedBy: { id: 'user-1', fullName: 'Ana Lima' },
  expiresAt: '2030-01-08T12:00:00Z',
  createdAt: '2030-01-01T12:00:00Z',
}

describe('InvitationsTable', () => {
  it('lists who was invited, by whom, and revokes after confirming', async () => {
    useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
    const fetchMock = stubFetch(() => ok(null))
    const { user, queryClient } = renderWithProviders(<InvitationsTable invitations={[pending]} canManage />)
    queryClient.setQueryData(['company', 'invitations'], [pending])

    const row = screen.getByTestId('invitation-row')
    expect(row).toHaveAttribute('data-email', 'joao@example.com')
    expect(row).toHaveTextContent('Coordenador')
    expect(row).toHaveTextContent('Ana Lima')

    await user.click(screen.getByTestId('invitation-revoke'))
    expect(fetchMock).not.toHaveBeenCalled()
    await user.click(await screen.findByTestId('invitation-revoke-confirm'))

    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument())
    expect(fetchMock.mock.calls[0][0]).toBe('/api/company/invitations/inv-1')
    expect(fetchMock.mock.calls[0][1]?.method).toBe('DELETE')
    // The list is reloaded after the change.
    await waitFor(() => expect(queryClient.getQueryState(['company', 'invitations'])?.isInvalidated).toBe(true))
  })

  it('is read-only for members who cannot manage the team', () => {
    renderWithProviders(<InvitationsTable invitations={[pending]} canManage={false} />)
    expect(screen.getByTestId('invitation-row')).toBeInTheDocument()
    expect(screen.queryByTestId('invitation-revoke')).not.toBeInTheDocument()
  })

  it('says when nothing is pending', () => {
    renderWithProviders(<InvitationsTable invitations={[]} canManage />)
    expect(screen.getByText('Nenhum convite pendente.')).toBeVisible()
  })
})
