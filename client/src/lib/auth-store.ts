import { create } from 'zustand'
import { persist } from 'zustand/middleware'

export type TokenPair = { accessToken: string; refreshToken: string }
export type EndedBy = 'logout' | 'expiry'
export type StoredTokens = { accessToken: string | null; refreshToken: string | null }

type AuthState = StoredTokens & {
  /** Why the last session ended: after an expiry the login page returns the user where they were. */
  endedBy: EndedBy | null
  setTokens: (tokens: TokenPair) => void
  clearTokens: (reason?: EndedBy) => void
}

export const AUTH_STORAGE_KEY = 'evoai.auth'

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
      name: AUTH_STORAGE_KEY,
      // endedBy too, so the other tabs know whether a session ended by "Sair" or by expiry.
      partialize: ({ accessToken, refreshToken, endedBy }) => ({ accessToken, refreshToken, endedBy }),
    },
  ),
)

export const useIsAuthenticated = (): boolean => useAuthStore((s) => s.accessToken !== null)

// --- other tabs ------------------------------------------------------------------------------

type Stored = StoredTokens & { endedBy: EndedBy | null }

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null)

/** What localStorage holds now; undefined when it cannot be read (then memory is all there is). */
function readStorage(): Stored | undefined {
  let raw: string | null
  try {
    raw = globalThis.localStorage.getItem(AUTH_STORAGE_KEY)
  } catch {
    return undefined
  }
  // Removed (site data cleared, or signed out elsewhere): no session.
  if (raw === null) return { accessToken: null, refreshToken: null, endedBy: 'logout' }
  try {
    const { state } = JSON.parse(raw) as { state?: Record<string, unknown> }
    const accessToken = text(state?.accessToken)
    const refreshToken = text(state?.refreshToken)
    const endedBy = state?.endedBy === 'expiry' ? 'expiry' : state?.endedBy === 'logout' ? 'logout' : null
    return accessToken && refreshToken ? { accessToken, refreshToken, endedBy: null } : { accessToken: null, refreshToken: null, endedBy }
  } catch {
    return undefined
  }
}

type ChangeListener = (previous: StoredTokens, next: StoredTokens) => void
const changeListeners = new Set<ChangeListener>()

/** Called whenever tokens written by another tab (sign-in, refresh, company switch, logout) reach this one. */
export function onTokensChangedElsewhere(listener: ChangeListener): () => void {
  changeListeners.add(listener)
  return () => void changeListeners.delete(listener)
}

/**
 * The tokens as localStorage has them now, adopted into this tab's store if another tab changed
 * them. Read before using a token: the `storage` event may not have arrived yet, and a refresh
 * token another tab already rotated would look like reuse to the server and end the session.
 */
export function syncTokensFromStorage(): StoredTokens {
  const stored = readStorage()
  const current = useAuthStore.getState()
  const previous = { accessToken: current.accessToken, refreshToken: current.refreshToken }
  if (stored && (stored.accessToken !== previous.accessToken || stored.refreshToken !== previous.refreshToken)) {
    // Writing back through persist stores the same JSON, which fires no further storage event.
    useAuthStore.setState(
      stored.accessToken === null
        ? { accessToken: null, refreshToken: null, endedBy: stored.endedBy ?? 'logout' }
        : { accessToken: stored.accessToken, refreshToken: stored.refreshToken, endedBy: null },
    )
    const next = { accessToken: stored.accessToken, refreshToken: stored.refreshToken }
    for (const listener of changeListeners) listener(previous, next)
    return next
  }
  return previous
}

// Signing out, refreshing or switching company in another tab must reach this one, or it would
// keep using a refresh token that has already been rotated away.
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    // key null: the other tab called localStorage.clear().
    if (event.key === AUTH_STORAGE_KEY || event.key === null) syncTokensFromStorage()
  })
}
