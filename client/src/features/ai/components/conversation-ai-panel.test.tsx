import { act, screen, waitFor, within } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { contactKeys } from '@/features/contacts/api/keys'
import { makeContact } from '@/features/contacts/test-fixtures'
import { useAuthStore } from '@/lib/auth-store'
import { fail, ok, stubFetch } from '@/testing/fetch-mock'
import { renderWithProviders } from '@/testing/render'
import type { ConversationAiState } from '../api/types'
import { useAiPanelStore } from '../panel-store'
import { AiPanelToggle, ConversationAiPanel } from './conversation-ai-panel'
import { MessageAiBadge } from './message-ai-badge'

const tagAction = { tool: 'add_tag', arguments: { tag: 'Interessado' }, reason: 'o cliente falou de Interessado', level: 1, status: 'done', detail: "tag 'Interessado' adicionada" }

const state = (overrides: Partial<ConversationAiState> = {}): ConversationAiState => ({
  conversationId: 'conv-1',
  aiEnabled: true,
  isPaused: false,
  pausedReason: null,
  autonomyLevel: 1,
  sentiment: null,
  urgency: null,
  intent: null,
  topics: [],
  summary: null,
  suggestedResponse: null,
  lastAnalyzedAt: null,
  messageCount: 2,
  lastTurnAt: null,
  actionsPerformed: [],
  ...overrides,
})

beforeEach(() => useAiPanelStore.setState({ open: false }))

describe('AI in the inbox', () => {
  it('badges an AI answer and lists its actions on demand', async () => {
    const { user } = renderWithProviders(<MessageAiBadge metadata={{ model: 'sandbox', autonomyLevel: 1, actions: [tagAction] }} />)
    expect(screen.getByTestId('inbox-message-ai-badge')).toHaveTextContent('IA')
    expect(screen.queryByTestId('ai-action')).not.toBeInTheDocument()
    await user.click(screen.getByTestId('inbox-message-ai-actions-toggle'))
    const action = screen.getByTestId('ai-action')
    expect(action).toHaveTextContent('Adicionar tag: Interessado')
    expect(action).toHaveTextContent('feito')
    expect(action).toHaveTextContent('nível: Nível 1 — Responde e organiza')
  })

  it('shows the hand-over pause, the level, the recent actions and the tags, refreshed when the contact changes', async () => {
    useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
    let tags: { id: string; name: string; color: string }[] = []
    stubFetch(({ url }) => {
      if (url === '/api/ai/conversations/conv-1/state') return ok(state({ isPaused: true, pausedReason: 'ai_handover', actionsPerformed: [tagAction] }))
      if (url === '/api/contacts/contact-1') return ok(makeContact({ id: 'contact-1', tags }))
      return fail(404, 'Not found', 'not_found')
    })
    const { queryClient } = renderWithProviders(<ConversationAiPanel conversationId="conv-1" contactId="contact-1" lastMessageId="m1" />)
    expect(await screen.findByTestId('ai-panel-paused')).toHaveTextContent('Pausada: a IA passou para a equipe')
    expect(screen.getByTestId('ai-panel-level')).toHaveTextContent('Nível 1')
    expect(within(screen.getByTestId('ai-panel')).getByTestId('ai-action')).toHaveTextContent('Adicionar tag: Interessado')
    expect(await screen.findByText('Sem tags.')).toBeInTheDocument()

    // What a `contact-updated` event does (contacts/api/realtime.ts).
    tags = [{ id: 't1', name: 'Interessado', color: '#7C3AED' }]
    await act(() => queryClient.invalidateQueries({ queryKey: contactKeys.detail('contact-1') }))
    await waitFor(() => expect(screen.getByTestId('ai-panel-tag')).toHaveAttribute('data-tag-name', 'Interessado'))
  })

  it('toggles the panel from the chat header', async () => {
    const { user } = renderWithProviders(<AiPanelToggle />)
    expect(screen.getByTestId('ai-panel-toggle')).toHaveAttribute('aria-pressed', 'false')
    await user.click(screen.getByTestId('ai-panel-toggle'))
    expect(useAiPanelStore.getState().open).toBe(true)
  })
})
