import { screen, waitFor, within } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { useAuthStore } from '@/lib/auth-store'
import { fail, ok, stubFetch, type FetchHandler } from '@/testing/fetch-mock'
import { makeMe } from '@/testing/fixtures'
import { renderWithProviders } from '@/testing/render'
import type { FlowBody } from '../api/types'
import { execution, flow } from '../test-fixtures'
import { FlowEditorPage } from './flow-editor-page'

type Call = { method: string; path: string; body: unknown }

function setup(extra: FetchHandler = () => fail(404, 'Not found', 'not_found'), me = makeMe()) {
  const calls: Call[] = []
  const fetchMock = stubFetch((request) => {
    const path = request.url.split('?')[0]
    calls.push({ method: request.method, path, body: request.body })
    if (path === '/api/auth/me') return ok(me)
    if (path === '/api/flows/f1' && request.method === 'GET') return ok(flow())
    // The palette falls back to the client's catalogue while the endpoint is missing.
    if (path === '/api/flows/node-types') return fail(404, 'Not found', 'not_found')
    return extra(request)
  })
  return { calls, fetchMock }
}

const nodeEl = (id: string) => document.querySelector<HTMLElement>(`[data-testid="flow-node"][data-node-id="${id}"]`)

describe('Flow editor', () => {
  beforeEach(() => {
    useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
  })

  it('shows the flow with named handles and saves it with PUT in the contract shape', async () => {
    const { calls } = setup(({ method, body }) => (method === 'PUT' ? ok({ ...flow(), ...(body as FlowBody) }) : fail(404, 'x', 'not_found')))
    const { user } = renderWithProviders(<FlowEditorPage flowId="f1" />)
    expect(await screen.findByTestId('flow-name')).toHaveValue('Boas-vindas')
    await waitFor(() => expect(nodeEl('n2')).not.toBeNull())
    const handles = within(nodeEl('n2') as HTMLElement).getAllByTestId('flow-node-handle').map((el) => el.textContent)
    expect(handles).toEqual(['sim', 'não'])
    expect(within(nodeEl('n4') as HTMLElement).getAllByTestId('flow-node-handle').map((el) => el.textContent)).toEqual([
      'saída',
      'tempo esgotado',
    ])

    await user.click(screen.getByTestId('flow-name'))
    await user.paste(' 2')
    await user.click(screen.getByTestId('flow-save'))
    await waitFor(() => expect(calls.some((call) => call.method === 'PUT')).toBe(true))
    const put = calls.find((call) => call.method === 'PUT') as Call
    expect(put.path).toBe('/api/flows/f1')
    const body = put.body as FlowBody
    expect(body.name).toBe('Boas-vindas 2')
    expect(body.description).toBe('Recebe quem chega')
    expect(body.nodes).toEqual(flow().nodes)
    expect(body.connections).toEqual(flow().connections)
    expect(Object.keys(body).sort()).toEqual(['connections', 'description', 'name', 'nodes'])
  })

  it('shows a 422 invalid_flow on the offending nodes and in a list', async () => {
    setup(({ method }) =>
      method === 'PUT'
        ? fail(422, 'Fluxo inválido', 'invalid_flow', [
            { nodeId: 'n3', message: 'message is required' },
            { connectionId: 'c3', message: 'bad handle' },
            { message: 'node n4 is not reachable' },
          ])
        : fail(404, 'x', 'not_found'),
    )
    const { user } = renderWithProviders(<FlowEditorPage flowId="f1" />)
    await screen.findByTestId('flow-name')
    await user.click(screen.getByTestId('flow-save'))
    const list = await screen.findByTestId('flow-problems')
    const items = within(list).getAllByTestId('flow-problem').map((item) => item.textContent)
    expect(items).toEqual(['Oi: message is required', 'Ligação c3: bad handle', 'node n4 is not reachable'])
    expect(nodeEl('n3')).toHaveAttribute('data-invalid', 'true')
    expect(within(nodeEl('n3') as HTMLElement).getByTestId('flow-node-errors')).toHaveTextContent('message is required')
    expect(nodeEl('n2')).not.toHaveAttribute('data-invalid')
    // Clicking the problem opens the node's form with the message.
    await user.click(within(list).getByRole('button', { name: 'Oi' }))
    const form = await screen.findByTestId('flow-node-form')
    expect(within(form).getByRole('alert')).toHaveTextContent('message is required')
    expect(within(form).getByTestId('flow-field-message')).toHaveValue('Oi {{contact.firstName}}')
  })

  it('builds a new flow from the palette, edits a node and creates it with POST', async () => {
    const { calls } = setup(({ method, body }) =>
      method === 'POST' ? ok({ ...flow(), id: 'f9', ...(body as FlowBody) }) : fail(404, 'x', 'not_found'),
    )
    const { user } = renderWithProviders(<FlowEditorPage />)
    await user.click(await screen.findByTestId('flow-name'))
    await user.paste('Palavra mágica')
    // Pre-check: no trigger yet.
    await user.click(screen.getByTestId('flow-palette-SEND_MESSAGE'))
    await user.click(screen.getByTestId('flow-save'))
    expect(await screen.findByTestId('flow-problems')).toHaveTextContent('O fluxo precisa de um gatilho.')
    expect(calls.some((call) => call.method === 'POST')).toBe(false)

    await user.click(screen.getByTestId('flow-palette-KEYWORD'))
    const form = await screen.findByTestId('flow-node-form')
    await user.click(within(form).getByTestId('flow-field-keywords'))
    await user.paste('preço, valor')
    await user.selectOptions(within(form).getByTestId('flow-field-match'), 'exact')
    await user.click(screen.getByTestId('flow-save'))
    await waitFor(() => expect(calls.some((call) => call.method === 'POST')).toBe(true))
    const post = calls.find((call) => call.method === 'POST') as Call
    expect(post.path).toBe('/api/flows')
    const body = post.body as FlowBody & { isActive: boolean }
    expect(body.isActive).toBe(false)
    expect(body.connections).toEqual([])
    expect(body.nodes).toEqual([
      { id: 'n1', type: 'action', subtype: 'SEND_MESSAGE', label: 'Enviar mensagem', position: { x: 40, y: 40 }, data: { message: '' } },
      {
        id: 'n2',
        type: 'trigger',
        subtype: 'KEYWORD',
        label: 'Palavra-chave',
        position: { x: 40, y: 180 },
        data: { keywords: ['preço', 'valor'], match: 'exact' },
      },
    ])
  })

  it('inserts variable chips into the message', async () => {
    setup()
    const { user } = renderWithProviders(<FlowEditorPage />)
    await user.click(await screen.findByTestId('flow-palette-SEND_MESSAGE'))
    const form = await screen.findByTestId('flow-node-form')
    await user.click(within(form).getByTestId('flow-field-message'))
    await user.paste('Olá ')
    await user.click(within(form).getByRole('button', { name: 'Primeiro nome' }))
    expect(within(form).getByTestId('flow-field-message')).toHaveValue('Olá {{contact.firstName}}')
  })

  it('test-runs the saved flow and highlights the path', async () => {
    const { calls } = setup(({ method, url }) =>
      method === 'POST' && url === '/api/flows/f1/test'
        ? ok({ path: execution().path, outcome: 'WAITING' })
        : fail(404, 'x', 'not_found'),
    )
    const { user } = renderWithProviders(<FlowEditorPage flowId="f1" />)
    await user.click(await screen.findByTestId('flow-test-toggle'))
    const panel = screen.getByTestId('flow-test-panel')
    await user.type(within(panel).getByTestId('flow-test-message'), 'oi')
    await user.click(within(panel).getByTestId('flow-test-run'))
    const steps = await within(panel).findAllByTestId('flow-path-step')
    expect(steps).toHaveLength(3)
    expect(steps[1]).toHaveTextContent('Tem e-mail?')
    expect(steps[1]).toHaveTextContent('não')
    expect(within(panel).getByTestId('flow-test-outcome')).toHaveTextContent('WAITING')
    expect(calls.find((call) => call.path === '/api/flows/f1/test')?.body).toEqual({ message: 'oi' })
    expect(nodeEl('n1')).toHaveAttribute('data-visited', 'true')
    expect(nodeEl('n4')).toHaveAttribute('data-visited', 'true')
    expect(nodeEl('n3')).not.toHaveAttribute('data-visited')
  })

  it('shows the WEBHOOK trigger URL with a copy button', async () => {
    stubFetch(({ url }) => {
      const path = url.split('?')[0]
      if (path === '/api/auth/me') return ok(makeMe())
      if (path === '/api/flows/f1')
        return ok(
          flow({
            triggerType: 'WEBHOOK',
            webhookUrl: '/api/flows/webhook/f1/s3cret',
            nodes: [{ id: 'n1', type: 'trigger', subtype: 'WEBHOOK', label: 'Hook', position: { x: 0, y: 0 }, data: {} }],
            connections: [],
          }),
        )
      return fail(404, 'x', 'not_found')
    })
    renderWithProviders(<FlowEditorPage flowId="f1" />)
    expect(await screen.findByTestId('flow-webhook-url')).toHaveTextContent(/\/api\/flows\/webhook\/f1\/s3cret$/)
    expect(screen.getByTestId('flow-webhook-copy')).toBeInTheDocument()
  })

  it('is read-only without canManageFlows', async () => {
    setup(undefined, makeMe({ role: 'member', permissions: { ...makeMe().permissions, canManageFlows: false } }))
    renderWithProviders(<FlowEditorPage flowId="f1" />)
    expect(await screen.findByText(/só quem tem a permissão/)).toBeInTheDocument()
    expect(screen.queryByTestId('flow-save')).not.toBeInTheDocument()
    expect(screen.queryByTestId('flow-palette')).not.toBeInTheDocument()
  })
})
