import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { AUTH_STORAGE_KEY, useAuthStore } from '@/lib/auth-store'
import { createQueryClient } from '@/lib/query-client'
import { installSessionHandlers } from './session'

/** An unsigned JWT-shaped token: only the payload matters to the client. */
const jwt = (claims: Record<string, unknown>) =>
  `e30.${btoa(JSON.stringify(claims)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}.sig`

function anotherTabStores(accessToken: string | null, refreshToken: string | null) {
  const newValue = JSON.stringify({ state: { accessToken, refreshToken, endedBy: accessToken ? null : 'logout' }, version: 0 })
  localStorage.setItem(AUTH_STORAGE_KEY, newValue)
  window.dispatchEvent(new StorageEvent('storage', { key: AUTH_STORAGE_KEY, newValue, storageArea: localStorage }))
}

const companyA = jwt({ sub: 'user-1', companyId: 'company-a', iat: 1 })
let uninstall: () => void = () => {}
const queryClient = createQueryClient()

beforeEach(() => {
  useAuthStore.getState().setTokens({ accessToken: companyA, refreshToken: 'refresh-1' })
  queryClient.setQueryData(['company', 'members'], [{ id: 'member-of-a' }])
  uninstall = installSessionHandlers(queryClient)
})
afterEach(() => {
  uninstall()
  queryClient.clear()
})

describe('session changes made in another tab', () => {
  it('a refresh there keeps this tab’s cache', async () => {
    anotherTabStores(jwt({ sub: 'user-1', companyId: 'company-a', iat: 2 }), 'refresh-2')
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(useAuthStore.getState().refreshToken).toBe('refresh-2')
    expect(queryClient.getQueryData(['company', 'members'])).toEqual([{ id: 'member-of-a' }])
  })

  it('a company switch there drops what this tab cached for the old company', async () => {
    anotherTabStores(jwt({ sub: 'user-1', companyId: 'company-b', iat: 2 }), 'refresh-b')
    await vi.waitFor(() => expect(queryClient.getQueryData(['company', 'members'])).toBeUndefined())
    expect(useAuthStore.getState().refreshToken).toBe('refresh-b')
  })

  it('a logout there clears this tab’s cache', () => {
    anotherTabStores(null, null)
    expect(queryClient.getQueryData(['company', 'members'])).toBeUndefined()
    expect(useAuthStore.getState()).toMatchObject({ accessToken: null, endedBy: 'logout' })
  })
})
