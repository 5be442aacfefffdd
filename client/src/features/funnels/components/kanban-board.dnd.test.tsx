import { act, screen, waitFor, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useToastStore } from '@/lib/toast'
import { fail, ok, stubFetch } from '@/testing/fetch-mock'
import { makeBoard, makeDeal, stages } from '../test-fixtures'
import { renderFunnelsRoute } from '../testing'

// jsdom has no layout: give columns and cards the geometry a browser would (columns 300px apart,
// cards stacked 100px apart), so dnd-kit's keyboard sensor can find its way across the board.
function rect(left: number, top: number, width: number, height: number): DOMRect {
  return { left, top, width, height, x: left, y: top, right: left + width, bottom: top + height, toJSON: () => ({}) }
}

function layout(element: Element): DOMRect {
  const overlay = element.matches('[data-testid="deal-card-overlay"]') ? element : element.querySelector('[data-testid="deal-card-overlay"]')
  if (overlay instanceof HTMLElement) {
    const original = document.querySelector(`[data-testid="deal-card"][data-deal-id="${overlay.dataset.dealId}"]`)
    if (original) return layout(original)
  }
  const column = element.closest('[data-testid="board-column"]')
  const columns = Array.from(document.querySelectorAll('[data-testid="board-column"]'))
  const left = columns.indexOf(column!) * 300
  if (!column) return rect(0, 0, 0, 0)
  if (element === column) return rect(left, 0, 280, 800)
  const card = element.closest('[data-testid="deal-card"]')
  if (!card) return rect(left, 0, 280, 60)
  const top = 80 + Array.from(column.querySelectorAll('[data-testid="deal-card"]')).indexOf(card) * 100
  return element === card ? rect(left + 10, top, 260, 90) : rect(left + 12, top + 4, 20, 20)
}

beforeEach(() => {
  vi.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(function (this: Element) {
    return layout(this)
  })
})
afterEach(() => vi.restoreAllMocks())

const column = (name: string) => screen.getAllByTestId('board-column').find((item) => item.dataset.stageName === name)!
const cardIds = (name: string) => within(column(name)).queryAllByTestId('deal-card').map((card) => card.dataset.dealId)

describe('KanbanBoard drag and drop (keyboard)', () => {
  it('shows a full column as refusing while dragging, then drops in the next column', async () => {
    const moves: unknown[] = []
    stubFetch(({ url, body }) => {
      if (url === '/api/funnels') return ok([makeBoard().funnel])
      if (url === '/api/funnels/f1/board') return ok(makeBoard())
      if (url === '/api/deals/move') {
        moves.push(body)
        return ok(makeDeal({ id: 'a', stageId: stages.negociacao.id, position: 0, value: 1500 }))
      }
      return fail(404, 'Not found', 'not_found')
    })
    const { user } = renderFunnelsRoute('/funnels/f1')
    await waitFor(() => expect(cardIds('Novo lead')).toEqual(['a', 'b']))

    const handle = within(column('Novo lead')).getByRole('button', { name: 'Mover o negócio Site novo' })
    act(() => handle.focus())
    await user.keyboard(' ')
    await user.keyboard('{ArrowRight}')
    await waitFor(() => expect(within(column('Proposta')).getByTestId('column-full')).toHaveTextContent('Etapa cheia'))
    expect(column('Proposta')).toHaveAttribute('data-refusing', 'true')

    await user.keyboard('{ArrowRight}')
    await waitFor(() => expect(column('Negociação')).toHaveClass('border-emerald-500'))
    await user.keyboard(' ')

    await waitFor(() => expect(cardIds('Negociação')).toEqual(['a', 'e']))
    expect(cardIds('Novo lead')).toEqual(['b'])
    expect(moves).toEqual([{ dealId: 'a', stageId: stages.negociacao.id, position: 0 }])
    expect(screen.queryByTestId('column-full')).toBeNull()
  })

  it('refuses the drop onto a full column without asking the server', async () => {
    const calls: string[] = []
    stubFetch(({ url }) => {
      calls.push(url)
      if (url === '/api/funnels') return ok([makeBoard().funnel])
      if (url === '/api/funnels/f1/board') return ok(makeBoard())
      return fail(404, 'Not found', 'not_found')
    })
    const { user } = renderFunnelsRoute('/funnels/f1')
    await waitFor(() => expect(cardIds('Novo lead')).toEqual(['a', 'b']))

    act(() => within(column('Novo lead')).getByRole('button', { name: 'Mover o negócio Site novo' }).focus())
    await user.keyboard(' ')
    await user.keyboard('{ArrowRight}')
    await waitFor(() => expect(column('Proposta')).toHaveAttribute('data-refusing', 'true'))
    await user.keyboard(' ')

    await waitFor(() => expect(useToastStore.getState().toasts).toMatchObject([{ message: 'A etapa Proposta está no limite de 2 negócios em aberto' }]))
    expect(cardIds('Novo lead')).toEqual(['a', 'b'])
    expect(cardIds('Proposta')).toEqual(['c', 'd'])
    expect(calls).not.toContain('/api/deals/move')
  })
})
