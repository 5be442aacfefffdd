import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { useAuthStore } from '@/lib/auth-store'
import { fail, ok, stubFetch } from '@/testing/fetch-mock'
import { makeMe } from '@/testing/fixtures'
import { renderWithProviders } from '@/testing/render'
import type { DashboardMetrics } from '../api/dashboard'
import { DashboardPage } from './dashboard-page'

// jsdom has no layout, so recharts would only warn about zero sizes; the charts are checked in the browser.
vi.mock('./charts', () => ({ default: () => <div data-testid="charts" /> }))

const metrics = (received: number): DashboardMetrics => ({
  period: { from: '2030-01-01T00:00:00-03:00', to: '2030-01-07T12:00:00Z', timezone: 'America/Sao_Paulo' },
  messages: { received, sent: 40, aiSent: 30, humanSent: 10, aiResponseRate: 75 },
  conversations: { active: 12, waiting: 2, averageWaitSeconds: 600, longestWaitSeconds: 3 * 3600 + 300 },
  contacts: { new: 5, total: 321 },
  deals: { open: 4, openValue: 12500, won: 2, wonValue: 3000, lost: 1, conversionRate: 20, conversionBase: { won: 2, created: 10 } },
  ai: { replies: 30, handovers: 3 },
  series: [{ date: '2030-01-01', received, sent: 40, newContacts: 5 }],
  funnel: [{ stageId: 's1', stageName: 'Novo lead', dealCount: 4, dealValue: 12500 }],
})

describe('Dashboard page', () => {
  it('shows the period’s numbers with their bases and reloads on a new period', async () => {
    useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
    const fetchMock = stubFetch(({ url }) => {
      if (url === '/api/auth/me') return ok(makeMe())
      if (url.startsWith('/api/dashboard/metrics')) return ok(metrics(url.includes('period=30d') ? 999 : 77))
      if (url.startsWith('/api/dashboard/activities')) return ok([])
      if (url.startsWith('/api/dashboard/conversations/recent')) return ok({ conversations: [], unreadTotal: 0 })
      return fail(404, 'Not found', 'not_found')
    })
    renderWithProviders(<DashboardPage />)

    expect(await screen.findByTestId('kpi-received')).toHaveTextContent('77')
    expect(screen.getByTestId('kpi-waiting')).toHaveTextContent('Espera média 10 min; a mais longa 3 h 05 min')
    expect(screen.getByTestId('kpi-conversion')).toHaveTextContent('2 ganhos / 10 negócios criados no período')
    expect(screen.getByTestId('kpi-ai')).toHaveTextContent('75% das enviadas; 3 transferências')
    expect(await screen.findByTestId('charts')).toBeInTheDocument()
    expect(within(screen.getByTestId('recent-conversations')).getByText('Nenhuma conversa ainda.')).toBeInTheDocument()

    await userEvent.selectOptions(screen.getByTestId('dashboard-period'), '30d')
    expect(await screen.findByText('999')).toBeInTheDocument()
    expect(fetchMock.mock.calls.map(([url]) => (typeof url === 'string' ? url : ''))).toContain('/api/dashboard/metrics?period=30d')
  })
})
