import { create } from 'zustand'
import { persist } from 'zustand/middleware'

export type TokenPair = { accessToken: string; refreshToken: string }

type AuthState = {
  accessToken: string | null
  refreshToken: string | null
  /** Why the last session ended: after an expiry the login page returns the user where they were. */
  endedBy: 'logout' | 'expiry' | null
  setTokens: (tokens: TokenPair) => void
  clearTokens: (reason?: 'logout' | 'expiry') => void
}

// The spec keeps both tokens in localStorage so a reload (or a second tab) stays signed in.
export const useAuthStore = create<AuthState>()(
  persist(
    (set) => ({
      accessToken: null,
      refreshToken: null,
      endedBy: null,
      setTokens: ({ accessToken, refreshToken }) => set({ accessToken, refreshToken, endedBy: null }),
      clearTokens: (reason = 'logout') => set({ accessToken: null, refreshToken: null, endedBy: reason }),
    }),
    {
      name: 'evoai.auth',
      partialize: ({ accessToken, refreshToken }) => ({ accessToken, refreshToken }),
    },
  ),
)

export const useIsAuthenticated = (): boolean => useAuthStore((s) => s.accessToken !== null)

// Signing out (or refreshing) in another tab must reach this one, or it would keep using
// a refresh token that has already been rotated away.
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key === 'evoai.auth') void useAuthStore.persist.rehydrate()
  })
}
