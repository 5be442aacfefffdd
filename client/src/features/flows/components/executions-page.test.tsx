import { screen, waitFor, within } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { useAuthStore } from '@/lib/auth-store'
import { fail, ok, stubFetch } from '@/testing/fetch-mock'
import { makeMe } from '@/testing/fixtures'
import { renderWithProviders } from '@/testing/render'
import type { Execution } from '../api/types'
import { execution, flow } from '../test-fixtures'
import { ExecutionsPage } from './executions-page'

function setup() {
  let current: Execution = execution()
  const finished = execution({ id: 'e2', status: 'COMPLETED', contact: { id: 'ct2', name: 'João' }, finishedAt: '2030-01-02T11:00:00Z' })
  const urls: string[] = []
  stubFetch(({ url, method }) => {
    const path = url.split('?')[0]
    urls.push(`${method} ${url}`)
    if (path === '/api/auth/me') return ok(makeMe())
    if (path === '/api/flows/f1') return ok(flow())
    if (path === '/api/flows/f1/executions') {
      const status = new URL(url, 'http://x').searchParams.get('status')
      const items = [current, finished].filter((item) => !status || item.status === status).map((item) => ({ ...item, path: undefined }))
      return ok(items, { pagination: { page: 1, limit: 20, total: items.length, pages: 1 } })
    }
    if (path === '/api/flows/executions/e1') return ok(current)
    if (path === '/api/flows/executions/e1/cancel' && method === 'POST') {
      current = { ...current, status: 'CANCELLED', finishedAt: '2030-01-02T10:30:00Z', waitingUntil: null }
      return ok(current)
    }
    return fail(404, 'Not found', 'not_found')
  })
  return { urls, ...renderWithProviders(<ExecutionsPage flowId="f1" />) }
}

describe('Flow executions', () => {
  beforeEach(() => {
    useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
  })

  it('lists executions and filters them by status', async () => {
    const { user, urls } = setup()
    const rows = await screen.findAllByTestId('flow-execution-row')
    expect(rows).toHaveLength(2)
    expect(within(rows[0]).getByTestId('flow-execution-status')).toHaveTextContent('Aguardando')
    expect(within(rows[1]).getByTestId('flow-execution-status')).toHaveTextContent('Concluída')
    await user.selectOptions(screen.getByTestId('flow-executions-status'), 'COMPLETED')
    await waitFor(() => expect(urls).toContain('GET /api/flows/f1/executions?status=COMPLETED&page=1&limit=20'))
    await waitFor(() => expect(screen.getAllByTestId('flow-execution-row')).toHaveLength(1))
  })

  it('opens one: its path with results and details, highlighted on a read-only canvas; cancels it', async () => {
    const { user, urls } = setup()
    await user.click((await screen.findAllByTestId('flow-execution-open'))[0])
    const panel = await screen.findByTestId('flow-execution')
    const steps = await within(panel).findAllByTestId('flow-path-step')
    expect(steps.map((step) => within(step).getByTestId('flow-path-result').textContent)).toEqual(['ok', 'ok', 'aguardando'])
    expect(steps[1]).toHaveTextContent('Tem e-mail?')
    expect(steps[1]).toHaveTextContent('→ não')
    expect(within(steps[2]).getByTestId('flow-path-detail')).toHaveTextContent('{"until":"12:00"}')
    await waitFor(() =>
      expect(panel.querySelector('[data-testid="flow-node"][data-node-id="n4"]')).toHaveAttribute('data-visited', 'true'),
    )
    expect(panel.querySelector('[data-testid="flow-node"][data-node-id="n3"]')).not.toHaveAttribute('data-visited')

    await user.click(within(panel).getByTestId('flow-execution-cancel'))
    await waitFor(() => expect(urls).toContain('POST /api/flows/executions/e1/cancel'))
    await waitFor(() => expect(within(panel).getByTestId('flow-execution-status')).toHaveTextContent('Cancelada'))
    expect(within(panel).queryByTestId('flow-execution-cancel')).not.toBeInTheDocument()
  })
})
