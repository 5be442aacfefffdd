import { io, type Socket } from 'socket.io-client'
import { env } from '@/config/env'
import { refreshSession } from './api-client'
import { useAuthStore } from './auth-store'

export type RealtimeHandlers = {
  /** Server event name → handler that updates the query cache. */
  events: Record<string, (payload: unknown) => void>
  /** Runs on every (re)connect: whatever happened while offline must be refetched. */
  onConnect?: () => void
}

/**
 * Opens the Socket.IO connection for the signed-in user and keeps it in step with the
 * tokens: a refreshed or switched-company token reconnects (the server picks the rooms
 * from the token), a cleared one disconnects. Returns the function that closes it.
 */
export function connectRealtime(handlers: RealtimeHandlers): () => void {
  const socket: Socket = io(env.WS_URL || undefined, {
    path: '/socket.io',
    // A function, so every reconnect sends the current token rather than the first one.
    auth: (send) => send({ token: useAuthStore.getState().accessToken }),
    autoConnect: false,
  })

  for (const [event, handler] of Object.entries(handlers.events)) socket.on(event, handler)
  socket.on('connect', () => handlers.onConnect?.())

  // `active` is false when the server refused us (usually an expired access token);
  // Socket.IO will not retry by itself then. Refresh once per token: a new token
  // reconnects through the subscription below.
  let refreshTriedFor: string | null = null
  socket.on('connect_error', () => {
    const token = useAuthStore.getState().accessToken
    if (socket.active || !token || refreshTriedFor === token) return
    refreshTriedFor = token
    void refreshSession().catch(() => undefined)
  })

  const unsubscribe = useAuthStore.subscribe((state, previous) => {
    if (state.accessToken === previous.accessToken) return
    socket.disconnect()
    if (state.accessToken) socket.connect()
  })

  if (useAuthStore.getState().accessToken) socket.connect()

  return () => {
    unsubscribe()
    socket.removeAllListeners()
    socket.disconnect()
  }
}
