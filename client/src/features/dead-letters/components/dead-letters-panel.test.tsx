import { screen, waitFor, within } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import DeadLettersRoute from '@/app/routes/settings/dead-letters'
import { useAuthStore } from '@/lib/auth-store'
import { fail, ok, stubFetch } from '@/testing/fetch-mock'
import { makeMe } from '@/testing/fixtures'
import { renderWithProviders } from '@/testing/render'
import type { Me } from '@/features/auth/api/types'
import type { DeadLetter } from '../api/dead-letters'

const letter: DeadLetter = {
  id: 'dl-1',
  queue: 'message-worker',
  jobId: 'outbox-123',
  jobName: 'whatsapp.send',
  errorMessage: 'gateway timed out',
  errorType: 'TimeoutError',
  attempts: 5,
  failedAt: '2030-01-02T10:00:00Z',
  status: 'DEAD',
  resolvedAt: null,
  resolvedBy: null,
  retryJobId: null,
  payload: { companyId: 'company-a', messageId: 'm-42' },
  error: { message: 'gateway timed out', type: 'TimeoutError', stack: 'Traceback …' },
}

const counts = { 'message-worker': 1, 'followup-worker': 0, 'embedding-worker': 0, 'flow-worker': 0 }
const page = (items: unknown[]) => ok(items, { pagination: { page: 1, limit: 20, total: items.length, pages: 1 }, countsByQueue: counts })

function renderFor(me: Me, resolve: (action: string) => Response = (action) => ok({ ...letter, status: action === 'retry' ? 'RETRIED' : 'DISCARDED' })) {
  let current = letter
  const fetchMock = stubFetch(({ url, method }) => {
    const path = url.split('?')[0]
    if (path === '/api/auth/me') return ok(me)
    if (path === '/api/dead-letters') return page(current.status === 'DEAD' || url.includes('status=ALL') ? [current] : [])
    if (path === '/api/dead-letters/dl-1') return ok(current)
    const action = /\/api\/dead-letters\/dl-1\/(retry|discard)$/.exec(path)?.[1]
    if (action && method === 'POST') {
      const response = resolve(action)
      if (response.ok) current = { ...current, status: action === 'retry' ? 'RETRIED' : 'DISCARDED' }
      return response
    }
    return fail(404, 'Not found', 'not_found')
  })
  const rendered = renderWithProviders(<DeadLettersRoute />)
  return { fetchMock, ...rendered }
}

const calls = (fetchMock: ReturnType<typeof stubFetch>) =>
  fetchMock.mock.calls.map(([url, init]) => `${init?.method ?? 'GET'} ${url as string}`)

describe('Dead letters page', () => {
  beforeEach(() => {
    useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
  })

  it('lists failed jobs with queue, job, error, attempts and counts per queue', async () => {
    const { fetchMock } = renderFor(makeMe())
    const row = await screen.findByTestId('dead-letter-row')
    expect(row).toHaveTextContent('message-worker')
    expect(row).toHaveTextContent('whatsapp.send')
    expect(row).toHaveTextContent('gateway timed out')
    expect(row).toHaveTextContent('5')
    expect(within(row).getByTestId('dead-letter-status')).toHaveTextContent('Com falha')
    expect(screen.getByRole('option', { name: 'message-worker (1)' })).toBeInTheDocument()
    // An empty queue filter is left out of the query.
    expect(calls(fetchMock)).toContain('GET /api/dead-letters?status=DEAD&page=1&limit=20')
  })

  it('filters by queue and status', async () => {
    const { fetchMock, user } = renderFor(makeMe())
    await screen.findByTestId('dead-letter-row')
    await user.selectOptions(screen.getByTestId('dead-letters-queue'), 'embedding-worker')
    await user.selectOptions(screen.getByTestId('dead-letters-status'), 'ALL')
    await waitFor(() =>
      expect(calls(fetchMock)).toContain('GET /api/dead-letters?queue=embedding-worker&status=ALL&page=1&limit=20'),
    )
  })

  it('opens the details with payload and error, and retries', async () => {
    const { fetchMock, user } = renderFor(makeMe())
    await user.click(await screen.findByTestId('dead-letter-open'))
    const sheet = await screen.findByTestId('dead-letter-sheet')
    expect(await within(sheet).findByTestId('dead-letter-payload')).toHaveTextContent('"messageId": "m-42"')
    expect(within(sheet).getByTestId('dead-letter-error')).toHaveTextContent('TimeoutError: gateway timed out')
    expect(within(sheet).getByText('Traceback …')).toBeInTheDocument()
    await user.click(within(sheet).getByTestId('dead-letter-retry'))
    await waitFor(() => expect(calls(fetchMock)).toContain('POST /api/dead-letters/dl-1/retry'))
    expect(await within(sheet).findByText('Reprocessado')).toBeInTheDocument()
    expect(within(sheet).queryByTestId('dead-letter-retry')).not.toBeInTheDocument()
    expect(await screen.findByTestId('dead-letters-empty')).toBeInTheDocument()
  })

  it('discards', async () => {
    const { fetchMock, user } = renderFor(makeMe())
    await user.click(await screen.findByTestId('dead-letter-open'))
    const sheet = await screen.findByTestId('dead-letter-sheet')
    await user.click(await within(sheet).findByTestId('dead-letter-discard'))
    await waitFor(() => expect(calls(fetchMock)).toContain('POST /api/dead-letters/dl-1/discard'))
    expect(await within(sheet).findByText('Descartado')).toBeInTheDocument()
  })

  it('keeps the actions when the server refuses one (409)', async () => {
    const { fetchMock, user } = renderFor(makeMe(), () => fail(409, 'Este job já foi reprocessado', 'conflict'))
    await user.click(await screen.findByTestId('dead-letter-open'))
    const sheet = await screen.findByTestId('dead-letter-sheet')
    await user.click(await within(sheet).findByTestId('dead-letter-retry'))
    await waitFor(() => expect(calls(fetchMock)).toContain('POST /api/dead-letters/dl-1/retry'))
    expect(within(sheet).getByTestId('dead-letter-retry')).toBeEnabled()
    expect(within(sheet).getByTestId('dead-letter-status')).toHaveTextContent('Com falha')
  })

  it('is for admins only: a member neither sees nor loads it', async () => {
    const { fetchMock } = renderFor(makeMe({ role: 'member' }))
    expect(await screen.findByText('Somente administradores veem os jobs com falha.')).toBeInTheDocument()
    expect(calls(fetchMock).some((call) => call.includes('/api/dead-letters'))).toBe(false)
  })
})
