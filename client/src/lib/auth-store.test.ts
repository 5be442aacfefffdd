import { describe, expect, it, vi } from 'vitest'
import { AUTH_STORAGE_KEY, onTokensChangedElsewhere, useAuthStore } from './auth-store'

type Written = { accessToken: string | null; refreshToken: string | null; endedBy: 'logout' | 'expiry' | null }

/** Another tab writes localStorage; the browser then tells this tab with a `storage` event. */
function anotherTabWrites(state: Written | null) {
  const oldValue = localStorage.getItem(AUTH_STORAGE_KEY)
  const newValue = state === null ? null : JSON.stringify({ state, version: 0 })
  if (newValue === null) localStorage.removeItem(AUTH_STORAGE_KEY)
  else localStorage.setItem(AUTH_STORAGE_KEY, newValue)
  window.dispatchEvent(new StorageEvent('storage', { key: AUTH_STORAGE_KEY, oldValue, newValue, storageArea: localStorage }))
}

describe('auth store across tabs (storage event)', () => {
  it('adopts the tokens another tab refreshed and tells the listeners', () => {
    useAuthStore.getState().setTokens({ accessToken: 'access-1', refreshToken: 'refresh-1' })
    const listener = vi.fn()
    const stop = onTokensChangedElsewhere(listener)

    anotherTabWrites({ accessToken: 'access-2', refreshToken: 'refresh-2', endedBy: null })

    expect(useAuthStore.getState()).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2', endedBy: null })
    expect(listener).toHaveBeenCalledExactlyOnceWith(
      { accessToken: 'access-1', refreshToken: 'refresh-1' },
      { accessToken: 'access-2', refreshToken: 'refresh-2' },
    )
    stop()
  })

  it('signs this tab out when another tab logs out, keeping the reason', () => {
    useAuthStore.getState().setTokens({ accessToken: 'access-1', refreshToken: 'refresh-1' })
    anotherTabWrites({ accessToken: null, refreshToken: null, endedBy: 'logout' })
    expect(useAuthStore.getState()).toMatchObject({ accessToken: null, refreshToken: null, endedBy: 'logout' })

    useAuthStore.getState().setTokens({ accessToken: 'access-1', refreshToken: 'refresh-1' })
    anotherTabWrites({ accessToken: null, refreshToken: null, endedBy: 'expiry' })
    expect(useAuthStore.getState()).toMatchObject({ accessToken: null, endedBy: 'expiry' })
  })

  it('signs this tab out when the stored session is removed or storage is cleared', () => {
    useAuthStore.getState().setTokens({ accessToken: 'access-1', refreshToken: 'refresh-1' })
    anotherTabWrites(null)
    expect(useAuthStore.getState()).toMatchObject({ accessToken: null, refreshToken: null, endedBy: 'logout' })

    useAuthStore.getState().setTokens({ accessToken: 'access-1', refreshToken: 'refresh-1' })
    localStorage.clear()
    window.dispatchEvent(new StorageEvent('storage', { key: null, storageArea: localStorage }))
    expect(useAuthStore.getState().accessToken).toBeNull()
  })

  it('signs this tab in when another tab logs in', () => {
    anotherTabWrites({ accessToken: 'access-9', refreshToken: 'refresh-9', endedBy: null })
    expect(useAuthStore.getState()).toMatchObject({ accessToken: 'access-9', refreshToken: 'refresh-9' })
  })

  it('ignores other keys, and events that change nothing', () => {
    useAuthStore.getState().setTokens({ accessToken: 'access-1', refreshToken: 'refresh-1' })
    const listener = vi.fn()
    const stop = onTokensChangedElsewhere(listener)

    localStorage.setItem('evoai.locale', '{"state":{"locale":"en"},"version":0}')
    window.dispatchEvent(new StorageEvent('storage', { key: 'evoai.locale', storageArea: localStorage }))
    anotherTabWrites({ accessToken: 'access-1', refreshToken: 'refresh-1', endedBy: null })

    expect(useAuthStore.getState().accessToken).toBe('access-1')
    expect(listener).not.toHaveBeenCalled()
    stop()
  })

  it('writes back exactly what the other tab stored, so the tabs do not echo events forever', () => {
    useAuthStore.getState().setTokens({ accessToken: 'access-1', refreshToken: 'refresh-1' })
    anotherTabWrites({ accessToken: 'access-2', refreshToken: 'refresh-2', endedBy: null })
    const written = JSON.stringify({ state: { accessToken: 'access-2', refreshToken: 'refresh-2', endedBy: null }, version: 0 })
    expect(localStorage.getItem(AUTH_STORAGE_KEY)).toBe(written)
  })
})
