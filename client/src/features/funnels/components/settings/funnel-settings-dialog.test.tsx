import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { useAuthStore } from '@/lib/auth-store'
import { createQueryClient } from '@/lib/query-client'
import { useToastStore } from '@/lib/toast'
import { fail, json, ok, stubFetch } from '@/testing/fetch-mock'
import { renderWithProviders } from '@/testing/render'
import { funnelKeys } from '../../api/keys'
import type { Funnel } from '../../api/types'
import { makeBoard, makeStage } from '../../test-fixtures'
import { FunnelSettingsDialog } from './funnel-settings-dialog'

type Call = { url: string; method: string; body: unknown }

function setup(reorder: () => Response = () => ok(null)) {
  useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
  let funnel = makeBoard().funnel
  const calls: Call[] = []
  stubFetch(({ url, method, body }) => {
    calls.push({ url, method, body })
    if (url === '/api/funnels' && method === 'GET') return ok([funnel])
    if (url === '/api/funnels/f1/stages/reorder') {
      const answer = reorder()
      if (answer.ok) {
        const { stageIds } = body as { stageIds: string[] }
        funnel = { ...funnel, stages: funnel.stages.map((stage) => ({ ...stage, order: stageIds.indexOf(stage.id) })) }
      }
      return answer
    }
    if (url === '/api/funnels/f1/stages' && method === 'POST') {
      return json(201, { success: true, data: makeStage({ id: 's-new', name: 'Demonstração', ...(body as object) }) })
    }
    return fail(404, 'Not found', 'not_found')
  })
  const queryClient = createQueryClient()
  queryClient.setQueryData<Funnel[]>(funnelKeys.list, [funnel])
  const view = renderWithProviders(<FunnelSettingsDialog funnel={funnel} funnels={[funnel]} onClose={vi.fn()} />, { queryClient })
  return { ...view, calls }
}

const rowIds = () => screen.getAllByTestId('stage-row').map((row) => row.dataset.stageId)
const row = (id: string) => screen.getAllByTestId('stage-row').find((item) => item.dataset.stageId === id)!

describe('FunnelSettingsDialog', () => {
  it('reorders stages with the arrow buttons and sends every id in the new order', async () => {
    const { user, calls } = setup()
    await screen.findByTestId('funnel-settings-dialog')
    expect(rowIds()).toEqual(['s-novo', 's-proposta', 's-negociacao', 's-ganho', 's-perdido'])
    expect(within(row('s-novo')).getByTestId('stage-move-up')).toBeDisabled()

    await user.click(within(row('s-negociacao')).getByTestId('stage-move-up'))

    expect(rowIds()).toEqual(['s-novo', 's-negociacao', 's-proposta', 's-ganho', 's-perdido'])
    await waitFor(() =>
      expect(calls.filter((call) => call.url === '/api/funnels/f1/stages/reorder').map((call) => call.body)).toEqual([
        { stageIds: ['s-novo', 's-negociacao', 's-proposta', 's-ganho', 's-perdido'] },
      ]),
    )
    // The list fetched again after the change agrees.
    await waitFor(() => expect(calls.filter((call) => call.url === '/api/funnels')).toHaveLength(1))
    expect(rowIds()).toEqual(['s-novo', 's-negociacao', 's-proposta', 's-ganho', 's-perdido'])
  })

  it('puts the old order back when the server refuses', async () => {
    const { user } = setup(() => fail(403, 'Apenas administradores ou coordenadores', 'forbidden'))
    await screen.findByTestId('funnel-settings-dialog')
    await user.click(within(row('s-novo')).getByTestId('stage-move-down'))
    await waitFor(() => expect(useToastStore.getState().toasts).toMatchObject([{ message: 'Apenas administradores ou coordenadores' }]))
    await waitFor(() => expect(rowIds()).toEqual(['s-novo', 's-proposta', 's-negociacao', 's-ganho', 's-perdido']))
  })

  it('adds a stage with a WIP limit, validating the numbers first', async () => {
    const { user, calls } = setup()
    await screen.findByTestId('funnel-settings-dialog')
    await user.click(screen.getByTestId('stage-add'))
    const form = screen.getByTestId('stage-form')
    await user.type(within(form).getByTestId('stage-name-input'), 'Demonstração')
    await user.clear(within(form).getByTestId('stage-probability-input'))
    await user.type(within(form).getByTestId('stage-probability-input'), '140')
    await user.type(within(form).getByTestId('stage-wip-input'), '0')
    await user.click(within(form).getByTestId('stage-save'))
    expect(within(form).getByText('Informe um número inteiro de 0 a 100')).toBeInTheDocument()
    expect(within(form).getByText('Informe um número inteiro maior que zero, ou deixe vazio')).toBeInTheDocument()

    await user.clear(within(form).getByTestId('stage-probability-input'))
    await user.type(within(form).getByTestId('stage-probability-input'), '40')
    await user.clear(within(form).getByTestId('stage-wip-input'))
    await user.type(within(form).getByTestId('stage-wip-input'), '3')
    await user.click(within(form).getByTestId('stage-save'))

    await waitFor(() => expect(screen.queryByTestId('stage-form')).toBeNull())
    expect(calls.filter((call) => call.url === '/api/funnels/f1/stages').map((call) => call.body)).toEqual([
      { name: 'Demonstração', color: '#6b7280', probability: 40, wipLimit: 3, isWonStage: false, isLostStage: false },
    ])
  })
})
