import { screen, waitFor, within } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { useAuthStore } from '@/lib/auth-store'
import { fail, json, ok, stubFetch } from '@/testing/fetch-mock'
import { renderWithProviders } from '@/testing/render'
import type { Followup } from '../api/types'
import { makeFollowup, makeRule } from '../test-fixtures'
import { ConversationFollowups } from './conversation-followups'

function serve(initial: Followup[], cancel: () => Response = () => ok(undefined, { message: 'Follow-up cancelado' })) {
  let pending = initial
  const bodies: unknown[] = []
  const fetchMock = stubFetch(({ url, method, body }) => {
    const path = url.split('?')[0]
    if (path === '/api/followups/pending') {
      return ok(pending, { pagination: { page: 1, limit: 20, total: pending.length, pages: 1 } })
    }
    if (path === '/api/followups/rules') return ok([makeRule(), makeRule({ id: 'rule-off', name: 'Desligada', isActive: false })])
    const cancelled = /^\/api\/followups\/cancel\/([\w-]+)$/.exec(path)
    if (cancelled && method === 'POST') {
      const response = cancel()
      if (response.ok) pending = pending.filter((item) => item.id !== cancelled[1])
      return response
    }
    if (path === '/api/followups/schedule' && method === 'POST') {
      bodies.push(body)
      pending = [...pending, makeFollowup({ id: 'fu-new', source: 'manual' })]
      return json(201, { success: true, data: { id: 'fu-new', status: 'PENDING' } })
    }
    return fail(404, 'Not found', 'not_found')
  })
  return { fetchMock, bodies }
}

const calls = (fetchMock: ReturnType<typeof stubFetch>) =>
  fetchMock.mock.calls.map(([url, init]) => `${init?.method ?? 'GET'} ${url as string}`)

describe("The conversation's follow-ups (inbox side panel)", () => {
  beforeEach(() => {
    useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
  })

  it('lists the pending ones of this conversation and cancels one', async () => {
    const { fetchMock } = serve([makeFollowup()])
    const { user } = renderWithProviders(<ConversationFollowups conversationId="conv-1" />)
    const item = await screen.findByTestId('conversation-followup')
    expect(item).toHaveTextContent('Retomar conversa')
    expect(calls(fetchMock)).toContain('GET /api/followups/pending?conversationId=conv-1&limit=20')
    await user.click(within(item).getByTestId('conversation-followup-cancel'))
    await waitFor(() => expect(calls(fetchMock)).toContain('POST /api/followups/cancel/fu-1'))
    expect(await screen.findByTestId('conversation-followups-empty')).toBeInTheDocument()
  })

  it('shows the refusal when it is no longer pending (409) and refreshes the list', async () => {
    const { fetchMock } = serve([makeFollowup()], () => json(409, { success: false, error: 'Este follow-up não está pendente (status SENT)', code: 'conflict' }))
    const { user } = renderWithProviders(<ConversationFollowups conversationId="conv-1" />)
    await user.click(await screen.findByTestId('conversation-followup-cancel'))
    await waitFor(() => expect(calls(fetchMock).filter((call) => call.startsWith('GET /api/followups/pending'))).toHaveLength(2))
  })

  it('schedules one by hand with an active rule and a time with its offset', async () => {
    const { bodies } = serve([])
    const { user } = renderWithProviders(<ConversationFollowups conversationId="conv-1" />)
    await screen.findByTestId('conversation-followups-empty')
    await user.click(screen.getByText('Agendar um follow-up'))
    await user.click(screen.getByTestId('followup-schedule-submit'))
    expect(screen.getByText('Campo obrigatório')).toBeInTheDocument()
    const select = screen.getByTestId('followup-schedule-rule')
    await waitFor(() => expect(within(select).getAllByRole('option')).toHaveLength(2))
    expect(within(select).queryByText('Desligada')).not.toBeInTheDocument()
    await user.selectOptions(select, 'rule-1')
    const when = screen.getByTestId('followup-schedule-when')
    await user.clear(when)
    await user.type(when, '2030-01-02T15:30')
    await user.click(screen.getByTestId('followup-schedule-submit'))
    await waitFor(() => expect(bodies).toHaveLength(1))
    expect(bodies[0]).toEqual({ ruleId: 'rule-1', conversationId: 'conv-1', scheduledFor: new Date('2030-01-02T15:30').toISOString() })
    expect(await screen.findByTestId('conversation-followup')).toBeInTheDocument()
  })

  it('is not shown for groups', () => {
    const { fetchMock } = serve([makeFollowup()])
    renderWithProviders(<ConversationFollowups conversationId="conv-1" isGroup />)
    expect(screen.queryByTestId('conversation-followups')).not.toBeInTheDocument()
    expect(calls(fetchMock)).toHaveLength(0)
  })
})
