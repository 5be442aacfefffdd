import { screen, waitFor, within } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { useAuthStore } from '@/lib/auth-store'
import { fail, ok, stubFetch } from '@/testing/fetch-mock'
import { makeMe } from '@/testing/fixtures'
import { renderWithProviders } from '@/testing/render'
import type { FlowSummary } from '../api/types'
import { summary } from '../test-fixtures'
import { FlowsListPage } from './flows-list-page'

function setup(me = makeMe()) {
  let flows: FlowSummary[] = [summary(), summary({ id: 'f2', name: 'Agenda', triggerType: 'SCHEDULE', isActive: true, lastExecutedAt: null })]
  const calls: { method: string; path: string; body: unknown }[] = []
  stubFetch(({ url, method, body }) => {
    const path = url.split('?')[0]
    calls.push({ method, path, body })
    if (path === '/api/auth/me') return ok(me)
    if (path === '/api/flows' && method === 'GET') return ok(flows)
    if (path === '/api/flows/f1/toggle') {
      flows = flows.map((flow) => (flow.id === 'f1' ? { ...flow, isActive: (body as { isActive: boolean }).isActive } : flow))
      return ok(flows[0])
    }
    if (path === '/api/flows/f1/duplicate') {
      const copy = { ...flows[0], id: 'f3', name: 'Boas-vindas (Cópia)', isActive: false }
      flows = [...flows, copy]
      return ok(copy)
    }
    if (path === '/api/flows/f1' && method === 'DELETE') {
      flows = flows.filter((flow) => flow.id !== 'f1')
      return ok(undefined, { message: 'Fluxo excluído' })
    }
    return fail(404, 'Not found', 'not_found')
  })
  return { calls, ...renderWithProviders(<FlowsListPage />) }
}

const rowOf = (name: string) =>
  screen.getAllByTestId('flow-row').find((row) => within(row).getByTestId('flow-open').textContent === name) as HTMLElement

describe('Flows list', () => {
  beforeEach(() => {
    useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
  })

  it('lists name, trigger, state, node count, executions and last run', async () => {
    setup()
    const rows = await screen.findAllByTestId('flow-row')
    expect(rows).toHaveLength(2)
    expect(rows[0]).toHaveTextContent('Boas-vindas')
    expect(rows[0]).toHaveTextContent('Novo contato')
    expect(rows[0]).toHaveTextContent('4')
    expect(within(rows[0]).getByTestId('flow-executions')).toHaveTextContent('12')
    expect(within(rows[0]).getByTestId('flow-open')).toHaveAttribute('href', '/automation/flows/f1')
    expect(within(rows[0]).getByTestId('flow-toggle')).not.toBeChecked()
    expect(rows[1]).toHaveTextContent('Agendamento')
    expect(rows[1]).toHaveTextContent('Nunca')
    expect(within(rows[1]).getByTestId('flow-toggle')).toBeChecked()
    expect(screen.getByTestId('flow-create')).toHaveAttribute('href', '/automation/flows/new')
  })

  it('turns a flow on', async () => {
    const { user, calls } = setup()
    await screen.findAllByTestId('flow-row')
    await user.click(within(rowOf('Boas-vindas')).getByTestId('flow-toggle'))
    await waitFor(() => expect(calls).toContainEqual({ method: 'POST', path: '/api/flows/f1/toggle', body: { isActive: true } }))
    await waitFor(() => expect(within(rowOf('Boas-vindas')).getByTestId('flow-toggle')).toBeChecked())
  })

  it('duplicates a flow', async () => {
    const { user, calls } = setup()
    await screen.findAllByTestId('flow-row')
    await user.click(within(rowOf('Boas-vindas')).getByTestId('flow-duplicate'))
    await waitFor(() => expect(calls.some((call) => call.method === 'POST' && call.path === '/api/flows/f1/duplicate')).toBe(true))
    expect(await screen.findByText('Boas-vindas (Cópia)')).toBeInTheDocument()
  })

  it('deletes a flow after confirming', async () => {
    const { user, calls } = setup()
    await screen.findAllByTestId('flow-row')
    await user.click(within(rowOf('Boas-vindas')).getByTestId('flow-delete'))
    expect(calls.some((call) => call.method === 'DELETE')).toBe(false)
    await user.click(await screen.findByTestId('flow-delete-confirm'))
    await waitFor(() => expect(calls.some((call) => call.method === 'DELETE' && call.path === '/api/flows/f1')).toBe(true))
    await waitFor(() => expect(screen.getAllByTestId('flow-row')).toHaveLength(1))
  })

  it('shows the list read-only without canManageFlows', async () => {
    setup(makeMe({ role: 'member', permissions: { ...makeMe().permissions, canManageFlows: false } }))
    const rows = await screen.findAllByTestId('flow-row')
    await waitFor(() => expect(within(rows[0]).getByTestId('flow-toggle')).toBeDisabled())
    expect(screen.queryByTestId('flow-create')).not.toBeInTheDocument()
    expect(screen.queryByTestId('flow-duplicate')).not.toBeInTheDocument()
    expect(screen.queryByTestId('flow-delete')).not.toBeInTheDocument()
  })
})
