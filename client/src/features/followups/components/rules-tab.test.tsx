import { screen, waitFor, within } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { useAuthStore } from '@/lib/auth-store'
import { fail, ok, stubFetch } from '@/testing/fetch-mock'
import { renderWithProviders } from '@/testing/render'
import type { Rule } from '../api/types'
import { makeRule } from '../test-fixtures'
import { RulesTab } from './rules-tab'

function serve(initial: Rule[]) {
  let rules = initial
  const fetchMock = stubFetch(({ url, method }) => {
    const path = url.split('?')[0]
    if (path === '/api/followups/rules' && method === 'GET') return ok(rules)
    const toggle = /^\/api\/followups\/rules\/([\w-]+)\/toggle$/.exec(path)
    if (toggle && method === 'POST') {
      rules = rules.map((rule) => (rule.id === toggle[1] ? { ...rule, isActive: !rule.isActive } : rule))
      // The server answers with zero stats (docs/api-followups.md).
      const rule = rules.find((item) => item.id === toggle[1])!
      return ok({ ...rule, stats: { pending: 0, sent: 0, responded: 0, cancelled: 0, failed: 0 } })
    }
    const one = /^\/api\/followups\/rules\/([\w-]+)$/.exec(path)
    if (one && method === 'DELETE') {
      rules = rules.filter((rule) => rule.id !== one[1])
      return ok({ cancelledFollowups: 2 }, { message: 'Regra removida' })
    }
    return fail(404, 'Not found', 'not_found')
  })
  return fetchMock
}

const calls = (fetchMock: ReturnType<typeof stubFetch>) =>
  fetchMock.mock.calls.map(([url, init]) => `${init?.method ?? 'GET'} ${url as string}`)

describe('Follow-up rules list', () => {
  beforeEach(() => {
    useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
  })

  it('shows each rule with its trigger and counts', async () => {
    serve([makeRule()])
    renderWithProviders(<RulesTab canManage />)
    const row = await screen.findByTestId('rule-row')
    expect(row).toHaveTextContent('Retomar conversa')
    expect(row).toHaveTextContent('Sem resposta')
    expect(row).toHaveTextContent('24 horas')
    expect(within(row).getByTestId('rule-stat-sent')).toHaveTextContent('7')
    expect(within(row).getByTestId('rule-stat-pending')).toHaveTextContent('2')
    expect(within(row).getByTestId('rule-stat-responded')).toHaveTextContent('3')
    expect(within(row).getByTestId('rule-stat-cancelled')).toHaveTextContent('1')
  })

  it('switches a rule off and keeps its counts from the list', async () => {
    const fetchMock = serve([makeRule()])
    const { user } = renderWithProviders(<RulesTab canManage />)
    const toggle = await screen.findByTestId('rule-toggle')
    expect(toggle).toHaveAttribute('aria-checked', 'true')
    await user.click(toggle)
    await waitFor(() => expect(calls(fetchMock)).toContain('POST /api/followups/rules/rule-1/toggle'))
    await waitFor(() => expect(screen.getByTestId('rule-toggle')).toHaveAttribute('aria-checked', 'false'))
    expect(screen.getByTestId('rule-stat-sent')).toHaveTextContent('7')
  })

  it('deletes a rule only after confirming', async () => {
    const fetchMock = serve([makeRule()])
    const { user } = renderWithProviders(<RulesTab canManage />)
    await user.click(await screen.findByTestId('rule-delete'))
    expect(await screen.findByText(/Os 2 follow-up\(s\) pendentes desta regra serão cancelados/)).toBeInTheDocument()
    expect(calls(fetchMock).some((call) => call.startsWith('DELETE'))).toBe(false)
    await user.click(screen.getByTestId('rule-delete-confirm'))
    await waitFor(() => expect(calls(fetchMock)).toContain('DELETE /api/followups/rules/rule-1'))
    expect(await screen.findByTestId('followup-rules-empty')).toBeInTheDocument()
  })

  it('is read-only for people who cannot manage automations', async () => {
    serve([makeRule()])
    renderWithProviders(<RulesTab canManage={false} />)
    await screen.findByTestId('rule-row')
    expect(screen.getByTestId('rule-toggle')).toBeDisabled()
    expect(screen.queryByTestId('rule-create')).not.toBeInTheDocument()
    expect(screen.queryByTestId('rule-delete')).not.toBeInTheDocument()
  })
})
