import { screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { useAuthStore } from '@/lib/auth-store'
import { fail, stubFetch } from '@/testing/fetch-mock'
import { allPermissions } from '@/testing/fixtures'
import { renderWithProviders } from '@/testing/render'
import { MembersTable } from './members-table'

const admin = {
  id: 'm1',
  userId: 'user-1',
  email: 'ana@example.com',
  fullName: 'Ana Lima',
  role: 'admin' as const,
  permissions: allPermissions,
  createdAt: '2026-01-01T00:00:00Z',
}

describe('MembersTable', () => {
  it('keeps the confirm dialog open and shows the 422 message when removing the last admin', async () => {
    useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
    const fetchMock = stubFetch(() => fail(422, 'A empresa precisa de pelo menos um administrador', 'unprocessable'))
    const { user } = renderWithProviders(<MembersTable members={[admin]} canManage currentUserId="user-1" />)

    await user.click(screen.getByTestId('member-remove'))
    await user.click(await screen.findByTestId('member-remove-confirm'))

    expect(await screen.findByText('A empresa precisa de pelo menos um administrador')).toBeVisible()
    expect(screen.getByRole('alertdialog')).toBeInTheDocument()
    expect(fetchMock.mock.calls[0][0]).toBe('/api/company/members/m1')
    expect(fetchMock.mock.calls[0][1]?.method).toBe('DELETE')
  })

  it('is read-only for non-admins', () => {
    renderWithProviders(<MembersTable members={[admin]} canManage={false} />)
    expect(screen.getByTestId('member-row')).toHaveTextContent('Ana Lima')
    expect(screen.queryByTestId('member-remove')).not.toBeInTheDocument()
    expect(screen.queryByTestId('member-edit')).not.toBeInTheDocument()
  })
})
