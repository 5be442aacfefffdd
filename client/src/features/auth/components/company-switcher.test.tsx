import { screen, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { useAuthStore } from '@/lib/auth-store'
import { bearerOf, fail, ok, stubFetch } from '@/testing/fetch-mock'
import { makeMe, makeMeWithoutCompany } from '@/testing/fixtures'
import { renderWithProviders } from '@/testing/render'
import { CompanySwitcher } from './company-switcher'

const beta = makeMe({
  activeCompanyId: 'company-b',
  role: 'member',
  company: { id: 'company-b', name: 'Clínica Beta', planType: 'pro', maxWhatsappInstances: 3 },
})

/** /me answers according to the company inside the token, as the real API does. */
function companyServer() {
  return stubFetch(({ url, method, init, body }) => {
    if (url === '/api/auth/me') return ok(bearerOf(init) === 'Bearer token-b' ? beta : makeMe())
    if (url === '/api/auth/switch-company' && method === 'POST') {
      const { companyId } = body as { companyId: string }
      if (companyId !== 'company-b') return fail(404, 'Company not found', 'not_found')
      return ok({ accessToken: 'token-b', refreshToken: 'refresh-b', expiresIn: 900, companyId })
    }
    return fail(404, 'Not found', 'not_found')
  })
}

describe('CompanySwitcher', () => {
  it('switches company: stores the new tokens, drops the old cache and reloads /me', async () => {
    useAuthStore.getState().setTokens({ accessToken: 'token-a', refreshToken: 'refresh-a' })
    const fetchMock = companyServer()
    const { user, queryClient } = renderWithProviders(<CompanySwitcher />)
    // Data of the old company that is not on screen must not survive the switch.
    queryClient.setQueryData(['company', 'members'], [{ id: 'old-member' }])

    const trigger = await screen.findByTestId('company-switcher')
    expect(trigger).toHaveTextContent('Loja Alfa')

    await user.click(trigger)
    await user.click(await screen.findByRole('menuitemradio', { name: /Clínica Beta/ }))

    await waitFor(() => expect(screen.getByTestId('company-switcher')).toHaveTextContent('Clínica Beta'))
    const switchCall = fetchMock.mock.calls.find(([url]) => url === '/api/auth/switch-company')
    expect(JSON.parse(switchCall?.[1]?.body as string)).toEqual({ companyId: 'company-b' })
    expect(useAuthStore.getState()).toMatchObject({ accessToken: 'token-b', refreshToken: 'refresh-b' })
    const meCalls = fetchMock.mock.calls.filter(([url]) => url === '/api/auth/me')
    expect(meCalls.map(([, init]) => bearerOf(init))).toEqual(['Bearer token-a', 'Bearer token-b'])
    expect(queryClient.getQueryData(['company', 'members'])).toBeUndefined()
  })

  it('is a plain label when the user belongs to one company', async () => {
    useAuthStore.getState().setTokens({ accessToken: 'token-a', refreshToken: 'refresh-a' })
    stubFetch(() => ok(makeMe({ companies: [{ id: 'company-a', name: 'Loja Alfa', role: 'admin' }] })))
    renderWithProviders(<CompanySwitcher />)
    expect(await screen.findByTestId('company-switcher')).toBeDisabled()
  })

  it('keeps the current company and tells the user when the switch fails', async () => {
    useAuthStore.getState().setTokens({ accessToken: 'token-a', refreshToken: 'refresh-a' })
    stubFetch(({ url }) =>
      url === '/api/auth/me'
        ? ok(makeMe({ companies: [...makeMe().companies, { id: 'company-x', name: 'Gone Ltda', role: 'member' }] }))
        : fail(404, 'Company not found', 'not_found'),
    )
    const { user } = renderWithProviders(<CompanySwitcher />)
    await user.click(await screen.findByTestId('company-switcher'))
    await user.click(await screen.findByRole('menuitemradio', { name: /Gone Ltda/ }))

    const { useToastStore } = await import('@/lib/toast')
    await waitFor(() => expect(useToastStore.getState().toasts[0]?.message).toMatch(/Company not found/))
    expect(useAuthStore.getState().accessToken).toBe('token-a')
    expect(screen.getByTestId('company-switcher')).toHaveTextContent('Loja Alfa')
  })

  it('shows nothing for a user without a company', async () => {
    useAuthStore.getState().setTokens({ accessToken: 'token-a', refreshToken: 'refresh-a' })
    const fetchMock = stubFetch(() => ok(makeMeWithoutCompany()))
    renderWithProviders(<CompanySwitcher />)
    await waitFor(() => expect(fetchMock).toHaveBeenCalled())
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(screen.queryByTestId('company-switcher')).not.toBeInTheDocument()
  })
})
