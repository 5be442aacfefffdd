import type { ReactNode } from 'react'
import { QueryClientProvider, useQuery } from '@tanstack/react-query'
import { act, renderHook, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { useAuthStore } from '@/lib/auth-store'
import { createQueryClient } from '@/lib/query-client'
import { useToastStore } from '@/lib/toast'
import { fail, ok, stubFetch } from '@/testing/fetch-mock'
import { findDeal } from '../api/board-cache'
import { funnelKeys } from '../api/keys'
import type { Board } from '../api/types'
import { columnIds, makeBoard, makeDeal, stages } from '../test-fixtures'
import { useBoardMoves } from './use-board-moves'

function setup(answer: (body: Record<string, unknown>) => Response) {
  useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
  const board = makeBoard()
  const requests: Record<string, unknown>[] = []
  const fetchMock = stubFetch(({ url, body }) => {
    if (url === '/api/funnels/f1/board') return ok(board)
    requests.push(body as Record<string, unknown>)
    return answer(body as Record<string, unknown>)
  })
  const queryClient = createQueryClient()
  queryClient.setDefaultOptions({ queries: { retry: false, staleTime: Infinity } })
  queryClient.setQueryData(funnelKeys.board('f1'), board)
  const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
  // The board is observed, as on screen: a refusal makes it refetch.
  const { result } = renderHook(
    () => {
      const query = useQuery({ queryKey: funnelKeys.board('f1'), queryFn: () => board })
      return useBoardMoves(query.data!)
    },
    { wrapper },
  )
  const cached = () => queryClient.getQueryData<Board>(funnelKeys.board('f1'))
  return { result, cached, requests, fetchMock, queryClient }
}

const toasts = () => useToastStore.getState().toasts

describe('useBoardMoves', () => {
  it('moves at once and keeps the server copy', async () => {
    const { result, cached, requests } = setup((body) =>
      ok(makeDeal({ id: 'a', stageId: String(body.stageId), position: Number(body.position), value: 1500 })),
    )
    act(() => result.current.request('a', { stageId: stages.negociacao.id, overDealId: 'e' }))
    await waitFor(() => expect(columnIds(cached(), stages.negociacao.id)).toEqual(['a', 'e']))
    await waitFor(() => expect(requests).toEqual([{ dealId: 'a', stageId: stages.negociacao.id, position: 0 }]))
    expect(toasts()).toEqual([])
  })

  it('puts the card back and shows the server message when the move is refused (409)', async () => {
    const message = 'A etapa Negociação está no limite de 5 negócios em aberto'
    const { result, cached, requests } = setup(() => fail(409, message, 'wip_limit'))
    act(() => result.current.request('a', { stageId: stages.negociacao.id }))
    await waitFor(() => expect(toasts()).toMatchObject([{ message, tone: 'error' }]))
    expect(requests).toHaveLength(1)
    expect(columnIds(cached(), stages.novo.id)).toEqual(['a', 'b'])
    expect(columnIds(cached(), stages.negociacao.id)).toEqual(['e'])
    expect(findDeal(cached()!, 'a')?.card.stageId).toBe(stages.novo.id)
    expect(cached()!.columns[0]).toMatchObject({ total: 2, totalValue: 1750.5 })
  })

  it('refuses a full column without asking the server', () => {
    const { result, requests } = setup(() => ok(null))
    act(() => result.current.request('a', { stageId: stages.proposta.id }))
    expect(toasts()).toMatchObject([{ message: 'A etapa Proposta está no limite de 2 negócios em aberto', tone: 'error' }])
    expect(requests).toEqual([])
  })

  it('asks for the loss reason before moving into a lost column, and sends it', async () => {
    const { result, cached, requests } = setup((body) =>
      ok(makeDeal({ id: 'b', stageId: stages.perdido.id, status: 'LOST', value: 250.5, lostReason: String(body.lostReason) })),
    )
    act(() => result.current.request('b', { stageId: stages.perdido.id }))
    expect(result.current.pendingLost).toEqual({ dealId: 'b', stageId: stages.perdido.id, position: 0 })
    expect(requests).toEqual([])
    // Nothing moved while the dialog is open.
    expect(columnIds(cached(), stages.novo.id)).toEqual(['a', 'b'])

    act(() => result.current.confirmLost('Preço'))
    await waitFor(() => expect(requests).toEqual([{ dealId: 'b', stageId: stages.perdido.id, position: 0, lostReason: 'Preço' }]))
    await waitFor(() => expect(columnIds(cached(), stages.perdido.id)).toEqual(['b']))
    expect(result.current.pendingLost).toBeNull()
  })
})
