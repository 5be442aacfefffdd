import { vi } from 'vitest'

export type FetchHandler = (request: { url: string; method: string; init: RequestInit; body: unknown }) =>
  | Response
  | Promise<Response>

export const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

export const ok = (data: unknown, extra: Record<string, unknown> = {}): Response =>
  json(200, { success: true, data, ...extra })

export const fail = (status: number, error: string, code: string, details?: unknown[]): Response =>
  json(status, { success: false, error, code, details })

const urlOf = (input: RequestInfo | URL) => (typeof input === 'string' ? input : input instanceof URL ? input.href : input.url)

/** Replaces global fetch; the handler sees the URL, method and parsed JSON body. */
export function stubFetch(handler: FetchHandler) {
  const fetchMock = vi.fn((input: RequestInfo | URL, init: RequestInit = {}) =>
    Promise.resolve(
      handler({
        url: urlOf(input),
        method: init.method ?? 'GET',
        init,
        body: typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
      }),
    ),
  )
  vi.stubGlobal('fetch', fetchMock)
  return fetchMock
}

export const bearerOf = (init: RequestInit | undefined): string | undefined =>
  (init?.headers as Record<string, string> | undefined)?.Authorization
