import { env } from '@/config/env'
import { syncTokensFromStorage, useAuthStore, type TokenPair } from './auth-store'

export type Pagination = { page: number; limit: number; total: number; pages: number }
export type Envelope<T> = {
  success: true
  data: T
  pagination?: Pagination
  message?: string
  unreadCount?: number
}
export type ApiErrorDetail = { field: string; code: string; message: string }
type ErrorEnvelope = { success: false; error?: string; code?: string; details?: ApiErrorDetail[] }

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly details: ApiErrorDetail[]

  constructor(status: number, message: string, code: string, details: ApiErrorDetail[] = []) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.details = details
  }
}

type Query = Record<string, string | number | boolean | undefined | null>
export type RequestOptions = {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  body?: unknown
  query?: Query
  /** false for the endpoints that must not carry or refresh a session (login, register). */
  auth?: boolean
  signal?: AbortSignal
}

export function apiUrl(path: string, query?: Query): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value))
  }
  const search = params.toString()
  return `${env.API_URL}${path}${search ? `?${search}` : ''}`
}

async function send(path: string, options: RequestOptions, token: string | null): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  // Multipart bodies go as they are: the browser writes the Content-Type with its boundary.
  const isForm = typeof FormData !== 'undefined' && options.body instanceof FormData
  if (options.body !== undefined && !isForm) headers['Content-Type'] = 'application/json'
  if (token) headers.Authorization = `Bearer ${token}`
  try {
    return await fetch(apiUrl(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : isForm ? (options.body as FormData) : JSON.stringify(options.body),
      signal: options.signal,
    })
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error
    throw new ApiError(0, 'Network error', 'network_error')
  }
}

async function parse<T>(response: Response): Promise<Envelope<T>> {
  let body: Envelope<T> | ErrorEnvelope | undefined
  if (response.status !== 204) {
    try {
      body = (await response.json()) as Envelope<T> | ErrorEnvelope
    } catch {
      body = undefined
    }
  }
  if (!response.ok || body?.success === false) {
    const error = body as ErrorEnvelope | undefined
    throw new ApiError(
      response.status,
      error?.error ?? (response.statusText || `HTTP ${response.status}`),
      error?.code ?? 'internal_error',
      error?.details ?? [],
    )
  }
  return body ?? ({ success: true, data: undefined as T } satisfies Envelope<T>)
}

// --- session refresh --------------------------------------------------------------------

let sessionExpiredHandler: () => void = () => {}
/** Called once when the refresh token is rejected; the app sends the user to the login page. */
export function onSessionExpired(handler: () => void): void {
  sessionExpiredHandler = handler
}

let refreshInFlight: Promise<boolean> | null = null

const REFRESH_LOCK = 'evoai.refresh'

/** Web Locks serialise the refresh across tabs; jsdom and old browsers lack them. */
function lockManager(): LockManager | undefined {
  return typeof navigator === 'undefined' ? undefined : (navigator as Navigator & { locks?: LockManager }).locks
}

/**
 * Runs with the cross-tab lock held. `spent` is the refresh token that was current when the
 * request failed: if storage holds another one now, a different tab refreshed (or signed out)
 * meanwhile, and its tokens are used instead of spending an already rotated one.
 */
async function performRefresh(spent: string | null): Promise<boolean> {
  const { accessToken, refreshToken } = syncTokensFromStorage()
  if (refreshToken !== spent) return accessToken !== null
  const { clearTokens, setTokens } = useAuthStore.getState()
  if (!refreshToken) {
    clearTokens('expiry')
    sessionExpiredHandler()
    return false
  }
  const response = await send('/api/auth/refresh', { method: 'POST', body: { token: refreshToken } }, null)
  if (!response.ok) {
    // Only a definite answer from the server ends the session; a 5xx keeps the tokens
    // so the user is not logged out by a deploy or a blip.
    if (response.status >= 500) return false
    clearTokens('expiry')
    sessionExpiredHandler()
    return false
  }
  const { data } = await parse<TokenPair>(response)
  setTokens({ accessToken: data.accessToken, refreshToken: data.refreshToken })
  return true
}

/**
 * Rotates both tokens. The server accepts a refresh token only once and treats a second use as
 * theft (it revokes the session), so concurrent callers in this tab share one request, and tabs
 * take turns through a Web Lock, each re-reading storage once it holds the lock.
 * `spent`: the refresh token that belonged to the failed request (defaults to the current one).
 */
export function refreshSession(spent: string | null = syncTokensFromStorage().refreshToken): Promise<boolean> {
  const locks = lockManager()
  refreshInFlight ??= (
    locks ? locks.request(REFRESH_LOCK, () => performRefresh(spent)) : performRefresh(spent)
  ).finally(() => {
    refreshInFlight = null
  })
  return refreshInFlight
}

/** Sends a request and returns the whole envelope (for pagination and extra fields). */
export async function apiFetch<T>(path: string, options: RequestOptions = {}): Promise<Envelope<T>> {
  const useSession = options.auth ?? true
  const token = useSession ? syncTokensFromStorage().accessToken : null
  let response = await send(path, options, token)

  if (response.status === 401 && useSession && token) {
    const current = syncTokensFromStorage()
    let retryToken: string | null = null
    // Another request (or tab) may already have refreshed while this one was in flight;
    // null means the session has already ended, so there is nothing to refresh.
    if (current.accessToken !== null && current.accessToken !== token) retryToken = current.accessToken
    else if (current.accessToken !== null && (await refreshSession(current.refreshToken))) {
      retryToken = useAuthStore.getState().accessToken
    }
    if (retryToken) response = await send(path, options, retryToken)
  }
  return parse<T>(response)
}

export const api = {
  get: async <T>(path: string, query?: Query, signal?: AbortSignal) =>
    (await apiFetch<T>(path, { query, signal })).data,
  post: async <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    (await apiFetch<T>(path, { ...options, method: 'POST', body })).data,
  patch: async <T>(path: string, body?: unknown) => (await apiFetch<T>(path, { method: 'PATCH', body })).data,
  delete: async <T = void>(path: string) => (await apiFetch<T>(path, { method: 'DELETE' })).data,
}
