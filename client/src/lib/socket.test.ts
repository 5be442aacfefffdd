import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useAuthStore } from './auth-store'

type Listener = (...args: unknown[]) => void

// A stand-in for the Socket.IO client that records what connectRealtime asks of it.
const fake = vi.hoisted(() => {
  const listeners = new Map<string, Listener[]>()
  const socket = {
    active: false,
    connect: vi.fn(),
    disconnect: vi.fn(),
    removeAllListeners: vi.fn(),
    on: vi.fn((event: string, listener: Listener) => {
      listeners.set(event, [...(listeners.get(event) ?? []), listener])
      return socket
    }),
    emitLocal: (event: string, ...args: unknown[]) => listeners.get(event)?.forEach((listener) => listener(...args)),
  }
  const io = vi.fn<(url: string | undefined, options: Record<string, unknown>) => typeof socket>(() => socket)
  return { socket, io, listeners }
})

vi.mock('socket.io-client', () => ({ io: fake.io }))

const refreshSession = vi.hoisted(() => vi.fn(() => Promise.resolve(true)))
vi.mock('./api-client', () => ({ refreshSession }))

const { connectRealtime } = await import('./socket')

beforeEach(() => {
  fake.listeners.clear()
  vi.clearAllMocks()
  useAuthStore.getState().setTokens({ accessToken: 'token-1', refreshToken: 'refresh-1' })
})
afterEach(() => vi.clearAllMocks())

describe('connectRealtime', () => {
  it('connects to /socket.io with the current access token on every (re)connect', () => {
    const close = connectRealtime({ events: {} })
    const [url, options] = fake.io.mock.calls[0]
    expect(url).toBeUndefined() // same origin
    expect(options.path).toBe('/socket.io')

    const auth = options.auth as (send: (data: object) => void) => void
    const sent: object[] = []
    auth((data) => sent.push(data))
    useAuthStore.getState().setTokens({ accessToken: 'token-2', refreshToken: 'refresh-2' })
    auth((data) => sent.push(data))
    expect(sent).toEqual([{ token: 'token-1' }, { token: 'token-2' }])
    close()
  })

  it('reconnects when the token rotates and disconnects on logout', () => {
    const close = connectRealtime({ events: {} })
    expect(fake.socket.connect).toHaveBeenCalledTimes(1)

    useAuthStore.getState().setTokens({ accessToken: 'token-2', refreshToken: 'refresh-2' })
    expect(fake.socket.disconnect).toHaveBeenCalledTimes(1)
    expect(fake.socket.connect).toHaveBeenCalledTimes(2)

    useAuthStore.getState().clearTokens()
    expect(fake.socket.disconnect).toHaveBeenCalledTimes(2)
    expect(fake.socket.connect).toHaveBeenCalledTimes(2)
    close()
  })

  it('routes server events to handlers and refetches on connect', () => {
    const onNotification = vi.fn()
    const onConnect = vi.fn()
    const close = connectRealtime({ events: { notification: onNotification }, onConnect })
    fake.socket.emitLocal('connect')
    fake.socket.emitLocal('notification', { id: 'n1' })
    expect(onConnect).toHaveBeenCalledOnce()
    expect(onNotification).toHaveBeenCalledWith({ id: 'n1' })
    close()
    expect(fake.socket.removeAllListeners).toHaveBeenCalled()
  })

  it('refreshes the session once per token when the server refuses the connection', () => {
    const close = connectRealtime({ events: {} })
    fake.socket.active = false
    fake.socket.emitLocal('connect_error', new Error('unauthorized'))
    fake.socket.emitLocal('connect_error', new Error('unauthorized'))
    expect(refreshSession).toHaveBeenCalledTimes(1)

    // A transient failure (Socket.IO is still retrying by itself) needs no refresh.
    useAuthStore.getState().setTokens({ accessToken: 'token-3', refreshToken: 'refresh-3' })
    fake.socket.active = true
    fake.socket.emitLocal('connect_error', new Error('timeout'))
    expect(refreshSession).toHaveBeenCalledTimes(1)
    close()
  })
})
