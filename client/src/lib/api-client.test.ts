import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError, api, apiFetch, onSessionExpired } from './api-client'
import { AUTH_STORAGE_KEY, useAuthStore } from './auth-store'
import { bearerOf as bearer, fail, json, ok, stubFetch, type FetchHandler } from '@/testing/fetch-mock'

const unauthorized = () => fail(401, 'Token expired', 'unauthorized')
const callsTo = (fetchMock: ReturnType<typeof stubFetch>, path: string) =>
  fetchMock.mock.calls.filter(([url]) => url === path)

/** A server where only access token "access-2" is valid and "refresh-1" can be used once. */
function rotatingServer(refreshDelayMs = 20): FetchHandler {
  return async ({ url, init, body }) => {
    if (url === '/api/auth/refresh') {
      await new Promise((resolve) => setTimeout(resolve, refreshDelayMs))
      if ((body as { token: string }).token !== 'refresh-1') return unauthorized()
      return ok({ accessToken: 'access-2', refreshToken: 'refresh-2', expiresIn: 900 })
    }
    if (bearer(init) !== 'Bearer access-2') return unauthorized()
    return ok({ path: url })
  }
}

beforeEach(() => {
  useAuthStore.getState().setTokens({ accessToken: 'access-1', refreshToken: 'refresh-1' })
})
afterEach(() => onSessionExpired(() => {}))

describe('api client token refresh', () => {
  it('shares one refresh between concurrent 401s, rotates both tokens and retries', async () => {
    const fetchMock = stubFetch(rotatingServer())

    const results = await Promise.all([
      api.get<{ path: string }>('/api/auth/me'),
      api.get<{ path: string }>('/api/company/usage'),
      api.get<{ path: string }>('/api/notifications', { page: 1 }),
    ])

    expect(results.map((r) => r.path)).toEqual(['/api/auth/me', '/api/company/usage', '/api/notifications?page=1'])
    expect(callsTo(fetchMock, '/api/auth/refresh')).toHaveLength(1)
    expect(useAuthStore.getState()).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2' })
    expect(JSON.parse(localStorage.getItem('evoai.auth') ?? '{}')).toMatchObject({
      state: { accessToken: 'access-2', refreshToken: 'refresh-2' },
    })
  })

  it('retries without refreshing again when another request already refreshed', async () => {
    const server = rotatingServer()
    const fetchMock = stubFetch((request) => {
      if (bearer(request.init) === 'Bearer access-1') {
        // While this request was in flight another one rotated the tokens.
        useAuthStore.getState().setTokens({ accessToken: 'access-2', refreshToken: 'refresh-2' })
        return unauthorized()
      }
      return server(request)
    })

    await expect(api.get('/api/company/members')).resolves.toEqual({ path: '/api/company/members' })
    expect(callsTo(fetchMock, '/api/auth/refresh')).toHaveLength(0)
    expect(fetchMock.mock.calls.map(([, init]) => bearer(init))).toEqual(['Bearer access-1', 'Bearer access-2'])
  })

  it('ends the session once when the refresh token is rejected', async () => {
    useAuthStore.getState().setTokens({ accessToken: 'access-1', refreshToken: 'already-used' })
    const fetchMock = stubFetch(rotatingServer())
    const expired = vi.fn()
    onSessionExpired(expired)

    const outcomes = await Promise.allSettled([api.get('/api/auth/me'), api.get('/api/company/usage')])

    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected')
      expect((outcome as PromiseRejectedResult).reason).toMatchObject({ status: 401, code: 'unauthorized' })
    }
    expect(callsTo(fetchMock, '/api/auth/refresh')).toHaveLength(1)
    expect(expired).toHaveBeenCalledTimes(1)
    expect(useAuthStore.getState()).toMatchObject({ accessToken: null, refreshToken: null })
  })

  it('keeps the session when the refresh endpoint fails with a server error', async () => {
    stubFetch(({ url }) => (url === '/api/auth/refresh' ? json(503, { success: false, error: 'down' }) : unauthorized()))
    const expired = vi.fn()
    onSessionExpired(expired)

    await expect(api.get('/api/auth/me')).rejects.toMatchObject({ status: 401 })
    expect(expired).not.toHaveBeenCalled()
    expect(useAuthStore.getState().refreshToken).toBe('refresh-1')
  })

  it('never refreshes for requests made without a session (login)', async () => {
    const fetchMock = stubFetch(() => fail(401, 'Invalid email or password', 'unauthorized'))
    await expect(
      api.post('/api/auth/login', { email: 'a@b.co', password: 'x' }, { auth: false }),
    ).rejects.toThrow('Invalid email or password')
    expect(fetchMock).toHaveBeenCalledTimes(1)
    expect(bearer(fetchMock.mock.calls[0][1])).toBeUndefined()
  })
})

/** What another tab's store writes to localStorage; this tab's memory does not see it yet. */
const writtenByAnotherTab = (accessToken: string, refreshToken: string) =>
  localStorage.setItem(AUTH_STORAGE_KEY, JSON.stringify({ state: { accessToken, refreshToken, endedBy: null }, version: 0 }))

/** navigator.locks as a browser has it; `whileWaiting` runs before the lock is granted (another tab's turn). */
function installLocks(whileWaiting: () => void | Promise<void> = () => {}) {
  const requested: string[] = []
  const locks = {
    request: async (name: string, callback: () => Promise<unknown>) => {
      requested.push(name)
      await whileWaiting()
      return callback()
    },
  }
  Object.defineProperty(navigator, 'locks', { value: locks, configurable: true })
  return requested
}

describe('api client token refresh across tabs', () => {
  afterEach(() => {
    Reflect.deleteProperty(navigator, 'locks')
  })

  it('uses the tokens another tab stored instead of refreshing (no Web Locks)', async () => {
    expect('locks' in navigator).toBe(false)
    const server = rotatingServer()
    const fetchMock = stubFetch((request) => {
      if (bearer(request.init) === 'Bearer access-1') {
        // Another tab refreshed while this request was in flight; no storage event has arrived yet.
        writtenByAnotherTab('access-2', 'refresh-2')
        return unauthorized()
      }
      return server(request)
    })

    await expect(api.get('/api/company/usage')).resolves.toEqual({ path: '/api/company/usage' })
    expect(callsTo(fetchMock, '/api/auth/refresh')).toHaveLength(0)
    expect(fetchMock.mock.calls.map(([, init]) => bearer(init))).toEqual(['Bearer access-1', 'Bearer access-2'])
    expect(useAuthStore.getState()).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2' })
  })

  it('sends the newest stored token even before the storage event arrives', async () => {
    writtenByAnotherTab('access-2', 'refresh-2')
    const fetchMock = stubFetch(rotatingServer())
    await expect(api.get('/api/auth/me')).resolves.toEqual({ path: '/api/auth/me' })
    expect(fetchMock.mock.calls.map(([, init]) => bearer(init))).toEqual(['Bearer access-2'])
  })

  it('refreshes inside the "evoai.refresh" lock', async () => {
    const requested = installLocks()
    const fetchMock = stubFetch(rotatingServer())

    await Promise.all([api.get('/api/auth/me'), api.get('/api/company/usage')])

    expect(requested).toEqual(['evoai.refresh'])
    expect(callsTo(fetchMock, '/api/auth/refresh')).toHaveLength(1)
    expect(useAuthStore.getState()).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2' })
  })

  it('tokens changed by another tab while waiting for the lock: no refresh call, retries with them', async () => {
    // The other tab holds the lock and spends refresh-1 itself; a second use would revoke the session.
    installLocks(() => writtenByAnotherTab('access-2', 'refresh-2'))
    const fetchMock = stubFetch(rotatingServer())
    const expired = vi.fn()
    onSessionExpired(expired)

    await expect(api.get('/api/company/members')).resolves.toEqual({ path: '/api/company/members' })
    expect(callsTo(fetchMock, '/api/auth/refresh')).toHaveLength(0)
    expect(fetchMock.mock.calls.map(([, init]) => bearer(init))).toEqual(['Bearer access-1', 'Bearer access-2'])
    expect(useAuthStore.getState()).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2' })
    expect(expired).not.toHaveBeenCalled()
  })

  it('another tab signed out while waiting for the lock: no refresh call, the request fails', async () => {
    installLocks(() => localStorage.removeItem(AUTH_STORAGE_KEY))
    const fetchMock = stubFetch(rotatingServer())

    await expect(api.get('/api/auth/me')).rejects.toMatchObject({ status: 401 })
    expect(callsTo(fetchMock, '/api/auth/refresh')).toHaveLength(0)
    expect(useAuthStore.getState()).toMatchObject({ accessToken: null, refreshToken: null, endedBy: 'logout' })
  })
})

describe('api client envelopes', () => {
  it('turns the error envelope into an ApiError with details', async () => {
    useAuthStore.getState().setTokens({ accessToken: 'access-2', refreshToken: 'refresh-1' })
    stubFetch(() =>
      fail(400, 'Validation failed', 'validation_error', [
        { field: 'password', code: 'required', message: 'Password is required for a new user' },
      ]),
    )
    const error = (await api.post('/api/company/members', {}).catch((e: unknown) => e)) as ApiError
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ status: 400, code: 'validation_error', message: 'Validation failed' })
    expect(error.details[0].field).toBe('password')
  })

  it('returns extra envelope fields and reports network failures as status 0', async () => {
    useAuthStore.getState().setTokens({ accessToken: 'access-2', refreshToken: 'refresh-1' })
    stubFetch(() => ok([], { unreadCount: 3, pagination: { page: 1, limit: 20, total: 0, pages: 0 } }))
    await expect(apiFetch('/api/notifications')).resolves.toMatchObject({ unreadCount: 3, pagination: { page: 1 } })

    stubFetch(() => Promise.reject(new TypeError('Failed to fetch')))
    await expect(api.get('/api/auth/me')).rejects.toMatchObject({ status: 0, code: 'network_error' })
  })
})
