import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { useToastStore } from '@/lib/toast'
import { fail, json, ok, stubFetch } from '@/testing/fetch-mock'
import { makeMe } from '@/testing/fixtures'
import type { Board } from '../api/types'
import { makeBoard, makeDeal, makeFunnel, stages } from '../test-fixtures'
import { renderFunnelsRoute } from '../testing'

type Call = { url: string; method: string; body: unknown }

function serve(board: Board = makeBoard(), move: (body: Record<string, unknown>) => Response = () => fail(500, 'x', 'internal_error')) {
  const other = makeFunnel({ id: 'f2', name: 'Pós-venda', stages: [] })
  const calls: Call[] = []
  stubFetch(({ url, method, body }) => {
    calls.push({ url, method, body })
    if (url === '/api/funnels') return ok([other, board.funnel])
    if (url === '/api/funnels/f1/board') return ok(board)
    if (url.startsWith('/api/funnels/f1/search')) return ok(board.columns[0].deals.slice(0, 1))
    if (url === '/api/deals/move') return move(body as Record<string, unknown>)
    if (url.startsWith('/api/contacts?')) {
      return ok({ contacts: [{ id: 'ct-9', displayName: 'Ana Paula', phoneNumber: '5511988887777' }], pagination: { page: 1, limit: 8, total: 1, totalPages: 1 } })
    }
    if (url === '/api/deals' && method === 'POST') {
      const input = body as Record<string, unknown>
      return json(201, {
        success: true,
        data: makeDeal({ id: 'new', stageId: String(input.stageId), title: String(input.title), value: Number(input.value), position: 2 }),
      })
    }
    return fail(404, 'Not found', 'not_found')
  })
  return calls
}

const column = (name: string) => screen.getAllByTestId('board-column').find((item) => item.dataset.stageName === name)!
const cardIds = (name: string) => within(column(name)).queryAllByTestId('deal-card').map((card) => card.dataset.dealId)

describe('FunnelsPage', () => {
  it('opens the default funnel, names it in the URL and shows columns, totals and WIP badges', async () => {
    serve()
    const { router } = renderFunnelsRoute('/funnels')
    await waitFor(() => expect(screen.getAllByTestId('board-column')).toHaveLength(5))
    expect(router.state.location.pathname).toBe('/funnels/f1')
    expect(screen.getByTestId('funnel-select')).toHaveValue('f1')

    expect(screen.getAllByTestId('board-column').map((item) => [item.dataset.stageId, item.dataset.stageName])).toEqual([
      ['s-novo', 'Novo lead'],
      ['s-proposta', 'Proposta'],
      ['s-negociacao', 'Negociação'],
      ['s-ganho', 'Ganho'],
      ['s-perdido', 'Perdido'],
    ])
    expect(within(column('Novo lead')).getByTestId('column-count')).toHaveTextContent('2')
    expect(within(column('Novo lead')).getByTestId('column-total')).toHaveTextContent(/R\$\s1\.750,50/)
    expect(within(column('Novo lead')).queryByTestId('column-wip')).toBeNull()

    const fullBadge = within(column('Proposta')).getByTestId('column-wip')
    expect(fullBadge).toHaveTextContent('2/2')
    expect(fullBadge).toHaveAttribute('data-full', 'true')
    expect(fullBadge).toHaveClass('bg-red-600')
    const roomyBadge = within(column('Negociação')).getByTestId('column-wip')
    expect(roomyBadge).toHaveTextContent('1/5')
    expect(roomyBadge).not.toHaveAttribute('data-full')

    const card = within(column('Novo lead')).getAllByTestId('deal-card')[0]
    expect(card).toHaveAttribute('data-deal-id', 'a')
    expect(card).toHaveTextContent('Site novo')
    expect(within(card).getByTestId('deal-card-value')).toHaveTextContent(/R\$\s1\.500,00/)
    expect(within(card).getByTestId('deal-card-contact')).toHaveTextContent('Ana Souza')
    expect(within(card).getByTestId('deal-card-days')).toHaveTextContent('3 d na etapa')
    expect(within(card).getByText('Notas: 2')).toBeInTheDocument()
    expect(within(card).getByText('Anexos: 1')).toBeInTheDocument()
    expect(column('Ganho').getAttribute('class')).toContain('emerald')
    expect(column('Perdido').getAttribute('class')).toContain('rose')
  })

  it('changes funnel through the URL', async () => {
    serve()
    const { user, router } = renderFunnelsRoute('/funnels/f1')
    await waitFor(() => expect(screen.getAllByTestId('board-column')).toHaveLength(5))
    await user.selectOptions(screen.getByTestId('funnel-select'), 'f2')
    expect(router.state.location.pathname).toBe('/funnels/f2')
  })

  it('puts a refused card back and shows the server message (409)', async () => {
    const message = 'A etapa Negociação está no limite de 5 negócios em aberto'
    const calls = serve(makeBoard(), () => fail(409, message, 'wip_limit'))
    const { user } = renderFunnelsRoute('/funnels/f1')
    await waitFor(() => expect(cardIds('Novo lead')).toEqual(['a', 'b']))

    await user.click(within(column('Novo lead')).getAllByTestId('deal-card-move')[0])
    await user.click(await screen.findByRole('menuitem', { name: /Negociação/ }))

    await waitFor(() => expect(useToastStore.getState().toasts).toMatchObject([{ message, tone: 'error' }]))
    expect(cardIds('Novo lead')).toEqual(['a', 'b'])
    expect(cardIds('Negociação')).toEqual(['e'])
    expect(calls.find((call) => call.url === '/api/deals/move')?.body).toEqual({ dealId: 'a', stageId: stages.negociacao.id, position: 1 })
    // A column at its limit is offered but refused.
    await user.click(within(column('Novo lead')).getAllByTestId('deal-card-move')[0])
    expect(await screen.findByRole('menuitem', { name: /Proposta/ })).toHaveAttribute('data-disabled')
  })

  it('asks for the reason before moving into the lost column and sends it', async () => {
    const calls = serve(makeBoard(), (body) =>
      ok(makeDeal({ id: 'b', stageId: stages.perdido.id, status: 'LOST', value: 250.5, lostReason: String(body.lostReason) })),
    )
    const { user } = renderFunnelsRoute('/funnels/f1')
    await waitFor(() => expect(cardIds('Novo lead')).toEqual(['a', 'b']))

    await user.click(within(column('Novo lead')).getAllByTestId('deal-card-move')[1])
    await user.click(await screen.findByRole('menuitem', { name: /Perdido/ }))
    const dialog = await screen.findByTestId('lost-reason-dialog')
    expect(calls.some((call) => call.url === '/api/deals/move')).toBe(false)

    await user.click(within(dialog).getByTestId('lost-reason-confirm'))
    expect(within(dialog).getByText('Campo obrigatório')).toBeInTheDocument()
    await user.type(within(dialog).getByTestId('lost-reason-input'), 'Achou mais barato')
    await user.click(within(dialog).getByTestId('lost-reason-confirm'))

    await waitFor(() => expect(cardIds('Perdido')).toEqual(['b']))
    expect(calls.find((call) => call.url === '/api/deals/move')?.body).toEqual({
      dealId: 'b',
      stageId: stages.perdido.id,
      position: 0,
      lostReason: 'Achou mais barato',
    })
    expect(screen.queryByTestId('lost-reason-dialog')).toBeNull()
  })

  it('filters the board to the search matches and highlights them', async () => {
    const calls = serve()
    const { user } = renderFunnelsRoute('/funnels/f1')
    await waitFor(() => expect(screen.getAllByTestId('deal-card')).toHaveLength(6))
    await user.type(screen.getByTestId('board-search'), 'site')
    await waitFor(() => expect(screen.getAllByTestId('deal-card').map((card) => card.dataset.dealId)).toEqual(['a']))
    expect(screen.getByTestId('deal-card')).toHaveAttribute('data-highlighted', 'true')
    expect(screen.getByTestId('board-search-count')).toHaveTextContent('1 encontrado(s)')
    expect(calls.filter((call) => call.url.startsWith('/api/funnels/f1/search'))).toEqual([
      expect.objectContaining({ url: '/api/funnels/f1/search?q=site' }),
    ])
  })

  it('opens a card in the drawer through ?deal=', async () => {
    serve()
    const { user, router } = renderFunnelsRoute('/funnels/f1')
    await waitFor(() => expect(cardIds('Novo lead')).toEqual(['a', 'b']))
    await user.click(within(column('Novo lead')).getAllByTestId('deal-card-title')[0])
    expect(router.state.location.search).toBe('?deal=a')
    // The drawer is a lazy chunk: the first import is slow under the test transformer.
    expect(await screen.findByTestId('deal-drawer', undefined, { timeout: 5000 })).toBeInTheDocument()
  })

  it('creates a deal with a contact picked by search and shows it in its column', async () => {
    const calls = serve()
    const { user } = renderFunnelsRoute('/funnels/f1')
    await waitFor(() => expect(cardIds('Novo lead')).toEqual(['a', 'b']))
    await user.click(screen.getByTestId('deal-create'))
    const dialog = await screen.findByTestId('deal-create-dialog')
    // Won/lost stages are not offered: a deal starts open.
    expect(within(within(dialog).getByTestId('deal-stage-select')).getAllByRole('option').map((option) => option.textContent)).toEqual([
      'Novo lead',
      'Proposta',
      'Negociação',
    ])
    await user.click(within(dialog).getByTestId('deal-create-submit'))
    expect(within(dialog).getByText('Campo obrigatório')).toBeInTheDocument()

    await user.type(within(dialog).getByTestId('deal-title-input'), 'Consultoria')
    await user.type(within(dialog).getByTestId('deal-value-input'), '1.200,50')
    await user.type(within(dialog).getByTestId('deal-contact-search'), 'ana')
    await user.click(await within(dialog).findByTestId('deal-contact-option'))
    expect(within(dialog).getByTestId('deal-contact-selected')).toHaveTextContent('Ana Paula')
    await user.type(within(dialog).getByTestId('deal-close-date-input'), '2030-03-31')
    await user.selectOptions(within(dialog).getByTestId('deal-priority-select'), 'high')
    await user.click(within(dialog).getByTestId('deal-create-submit'))

    await waitFor(() => expect(cardIds('Novo lead')).toEqual(['a', 'b', 'new']))
    expect(screen.queryByTestId('deal-create-dialog')).toBeNull()
    expect(calls.find((call) => call.url.startsWith('/api/contacts?'))?.url).toBe('/api/contacts?search=ana&limit=8')
    expect(calls.find((call) => call.url === '/api/deals')?.body).toEqual({
      title: 'Consultoria',
      stageId: stages.novo.id,
      value: 1200.5,
      contactId: 'ct-9',
      expectedCloseDate: '2030-03-31',
      priority: 'high',
    })
    expect(within(column('Novo lead')).getByTestId('column-count')).toHaveTextContent('3')
  })

  it('shows a read-only board to members who may not manage contacts', async () => {
    serve()
    renderFunnelsRoute('/funnels/f1', makeMe({ role: 'member', permissions: { ...makeMe().permissions, canManageContacts: false } }))
    await waitFor(() => expect(screen.getAllByTestId('deal-card')).toHaveLength(6))
    expect(screen.queryByTestId('deal-create')).toBeNull()
    expect(screen.queryByTestId('funnel-settings')).toBeNull()
    expect(screen.queryAllByTestId('deal-card-move')).toHaveLength(0)
    expect(screen.queryByRole('button', { name: /Mover o negócio/ })).toBeNull()
  })
})
