import { QueryClient } from '@tanstack/react-query'
import { describe, expect, it } from 'vitest'
import { columnIds, makeBoard, makeDeal, stages } from '../test-fixtures'
import { findDeal } from './board-cache'
import { dealKeys, funnelKeys } from './keys'
import { funnelRealtimeHandlers } from './realtime'
import type { Board, Deal } from './types'

function seeded() {
  const queryClient = new QueryClient()
  queryClient.setQueryData(funnelKeys.board('f1'), makeBoard())
  const handlers = funnelRealtimeHandlers(queryClient)
  const board = () => queryClient.getQueryData<Board>(funnelKeys.board('f1'))
  return { queryClient, handlers, board }
}

describe('funnel realtime handlers', () => {
  it('deal-updated moves the card between columns and keeps the totals right', async () => {
    const { handlers, board } = seeded()
    const card = { ...findDeal(board()!, 'a')!.card, stageId: stages.negociacao.id, position: 1 }
    await handlers['deal-updated']({ deal: card, fromStageId: stages.novo.id })
    await handlers['deal-updated']({ deal: card, fromStageId: stages.novo.id })

    expect(columnIds(board(), stages.novo.id)).toEqual(['b'])
    expect(columnIds(board(), stages.negociacao.id)).toEqual(['e', 'a'])
    const target = board()!.columns.find((column) => column.stage.id === stages.negociacao.id)!
    expect(target).toMatchObject({ total: 2, totalValue: 2000, stage: { openDealCount: 2 } })
  })

  it('deal-updated adds a deal created elsewhere and patches an open drawer', async () => {
    const { queryClient, handlers, board } = seeded()
    queryClient.setQueryData<Deal>(dealKeys.detail('a'), makeDeal({ id: 'a', stageId: stages.novo.id, title: 'Antigo' }))
    await handlers['deal-updated']({ deal: { ...findDeal(board()!, 'a')!.card, title: 'Renomeado' } })
    await handlers['deal-updated']({ deal: { ...findDeal(board()!, 'b')!.card, id: 'z', position: 0 } })

    expect(findDeal(board()!, 'a')?.card.title).toBe('Renomeado')
    expect(queryClient.getQueryData<Deal>(dealKeys.detail('a'))?.title).toBe('Renomeado')
    expect(columnIds(board(), stages.novo.id)).toEqual(['z', 'a', 'b'])
  })

  it('deal-deleted removes the card; funnel-updated refetches the structure', async () => {
    const { queryClient, handlers, board } = seeded()
    await handlers['deal-deleted']({ id: 'c', stageId: stages.proposta.id })
    expect(columnIds(board(), stages.proposta.id)).toEqual(['d'])
    expect(board()!.columns[1].stage.openDealCount).toBe(1)

    handlers['funnel-updated']({ id: 'f1' })
    expect(queryClient.getQueryState(funnelKeys.board('f1'))?.isInvalidated).toBe(true)
  })

  it('ignores payloads that are not what the contract says', async () => {
    const { handlers, board } = seeded()
    const before = board()
    await handlers['deal-updated'](null)
    await handlers['deal-updated']({ deal: { id: 'a' } })
    await handlers['deal-deleted']({ id: 7 })
    handlers['funnel-updated']('f1')
    expect(board()).toBe(before)
  })
})
