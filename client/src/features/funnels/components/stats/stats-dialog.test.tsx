import { screen, waitFor, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useAuthStore } from '@/lib/auth-store'
import { fail, ok, stubFetch } from '@/testing/fetch-mock'
import { renderWithProviders } from '@/testing/render'
import { makeBoard } from '../../test-fixtures'
import { StatsDialog } from './stats-dialog'

describe('StatsDialog', () => {
  // jsdom has no layout; the chart needs a size to draw.
  beforeEach(() => {
    vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue(
      { width: 640, height: 224, top: 0, left: 0, right: 640, bottom: 224, x: 0, y: 0, toJSON: () => ({}) },
    )
  })
  afterEach(() => vi.restoreAllMocks())

  it('shows the conversion base and, per stage, counts, values, conversion and days', async () => {
    useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
    const fetchMock = stubFetch(({ url }) =>
      url.startsWith('/api/funnels/f1/stats')
        ? ok({
            conversionBase: { won: 3, created: 12 },
            stageStats: [
              { stageId: 's-novo', stageName: 'Novo lead', dealCount: 12, dealValue: 18000, contactCount: 10, conversionToNext: 66.67, averageDaysInStage: 2.5 },
              { stageId: 's-ganho', stageName: 'Ganho', dealCount: 3, dealValue: 4500, contactCount: 3, conversionToNext: null, averageDaysInStage: null },
            ],
          })
        : fail(404, 'Not found', 'not_found'),
    )
    renderWithProviders(<StatsDialog funnel={makeBoard().funnel} onClose={vi.fn()} />)

    await waitFor(() => expect(screen.getByTestId('stats-conversion')).toHaveTextContent('25%'))
    expect(screen.getByTestId('stats-conversion')).toHaveTextContent('3 ganhos de 12 criados')
    const rows = screen.getAllByTestId('stats-row')
    expect(within(rows[0]).getAllByRole('cell').map((cell) => cell.textContent)).toEqual(['Novo lead', '12', 'R$\u00a018.000,00', '66,7%', '2,5'])
    expect(within(rows[1]).getAllByRole('cell').map((cell) => cell.textContent)).toEqual(['Ganho', '3', 'R$\u00a04.500,00', '—', '—'])
    expect(fetchMock.mock.calls[0][0]).toMatch(/^\/api\/funnels\/f1\/stats\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}$/)
  })
})
