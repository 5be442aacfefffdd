import { act, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { SendBox } from '@/features/inbox/components/send-box'
import { ConversationList } from '@/features/inbox/components/conversation-list'
import { inboxRealtimeHandlers } from '@/features/inbox/api/realtime'
import { useDraftStore } from '@/features/inbox/api/draft-store'
import { conversationPage, makeConversation } from '@/features/inbox/test-fixtures'
import { useAuthStore } from '@/lib/auth-store'
import { fail, ok, stubFetch } from '@/testing/fetch-mock'
import { renderWithProviders } from '@/testing/render'
import type { ConversationAnalysis } from '../api/analysis'
import { ConversationAnalysisSection } from './conversation-analysis'

const angry = makeConversation({ id: 'ana', contactName: 'Ana', aiState: { sentiment: 'negative', urgency: 'critical' } })
const mixed = makeConversation({ id: 'bruno', contactName: 'Bruno', aiState: { sentiment: 'mixed', urgency: 'low' } })
const calm = makeConversation({ id: 'carla', contactName: 'Carla', aiState: { sentiment: 'positive', urgency: 'medium' } })

const item = (id: string) => screen.getAllByTestId('inbox-conversation-item').find((row) => row.dataset.conversationId === id)!
const listUrls = (fetchMock: ReturnType<typeof stubFetch>) =>
  fetchMock.mock.calls.map(([url]) => url).filter((url): url is string => typeof url === 'string' && url.startsWith('/api/whatsapp/conversations?'))

afterEach(() => useDraftStore.setState({ offer: null }))

describe('The AI analysis in the inbox list', () => {
  it('marks negative or mixed moods and high or critical urgency, live, and filters by them', async () => {
    useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
    const fetchMock = stubFetch(({ url }) =>
      url.startsWith('/api/whatsapp/conversations?') ? ok(conversationPage(url.includes('sentiments') ? [angry, mixed] : [angry, mixed, calm])) : fail(404, 'Not found', 'not_found'),
    )
    const { user, queryClient } = renderWithProviders(<ConversationList activeId={undefined} instances={[]} />)
    await screen.findAllByTestId('inbox-conversation-item')

    expect(within(item('ana')).getByTestId('inbox-sentiment-badge')).toHaveAccessibleName('Sentimento: negativo')
    expect(within(item('ana')).getByTestId('inbox-urgency-badge')).toHaveTextContent('crítica')
    expect(within(item('bruno')).getByTestId('inbox-sentiment-badge')).toHaveAttribute('data-sentiment', 'mixed')
    expect(within(item('bruno')).queryByTestId('inbox-urgency-badge')).not.toBeInTheDocument()
    expect(within(item('carla')).queryByTestId('inbox-sentiment-badge')).not.toBeInTheDocument()
    expect(within(item('carla')).queryByTestId('inbox-urgency-badge')).not.toBeInTheDocument()

    // A new analysis arrives through `conversation-updated`.
    act(() => inboxRealtimeHandlers(queryClient)['conversation-updated']({ conversation: { ...calm, aiState: { sentiment: 'negative', urgency: 'high' } } }))
    await waitFor(() => expect(within(item('carla')).getByTestId('inbox-urgency-badge')).toHaveTextContent('alta'))

    await user.selectOptions(screen.getByTestId('inbox-filter-sentiment'), 'negativo ou misto')
    await user.selectOptions(screen.getByTestId('inbox-filter-urgency'), 'alta ou crítica')
    await waitFor(() =>
      expect(listUrls(fetchMock).at(-1)).toBe(
        '/api/whatsapp/conversations?page=1&limit=30&sentiments=negative%2Cmixed&urgencies=high%2Ccritical&isArchived=false',
      ),
    )
  })
})

const analysis: ConversationAnalysis = {
  sentiment: 'negative',
  urgency: 'high',
  intent: 'reclamação de entrega',
  topics: ['entrega', 'reembolso'],
  engagement: 72,
  summary: 'A cliente reclama do atraso e pede reembolso.',
  suggestedReply: 'Sinto muito pelo atraso! Vou verificar agora.',
  analyzedAt: '2030-01-02T10:00:00Z',
}

describe('Analisar agora', () => {
  function renderPanel(answer: () => Response) {
    useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
    const fetchMock = stubFetch(({ url, method }) => (url === '/api/ai/analyze' && method === 'POST' ? answer() : fail(404, 'Not found', 'not_found')))
    const view = renderWithProviders(
      <>
        <ConversationAnalysisSection conversationId="conv-1" analysis={null} />
        <SendBox conversationId="conv-1" archived={false} replyTo={null} onCancelReply={() => {}} onUnarchive={() => {}} />
      </>,
    )
    return { ...view, fetchMock }
  }

  it('analyses on demand and puts the suggested reply into the send box', async () => {
    const { user, fetchMock } = renderPanel(() => ok({ analysis }))
    expect(screen.getByTestId('ai-analysis-none')).toBeInTheDocument()
    await user.click(screen.getByTestId('ai-analyze-now'))

    expect(await screen.findByTestId('ai-analysis-sentiment')).toHaveTextContent('Sentimento: negativo')
    expect(JSON.parse(fetchMock.mock.calls[0][1]?.body as string)).toEqual({ conversationId: 'conv-1', force: true })
    expect(screen.getByTestId('ai-analysis-urgency')).toHaveTextContent('Urgência: alta')
    expect(screen.getByTestId('ai-analysis-intent')).toHaveTextContent('reclamação de entrega')
    expect(screen.getByTestId('ai-analysis-topics')).toHaveTextContent('entregareembolso')
    expect(screen.getByTestId('ai-analysis-engagement')).toHaveTextContent('72/100')
    expect(screen.getByTestId('ai-analysis-summary')).toHaveTextContent('A cliente reclama do atraso')
    expect(screen.getByTestId('ai-analysis-reply')).toHaveTextContent('Sinto muito pelo atraso! Vou verificar agora.')

    await user.click(screen.getByTestId('ai-analysis-use-reply'))
    expect(screen.getByTestId('inbox-send-input')).toHaveValue('Sinto muito pelo atraso! Vou verificar agora.')
    expect(screen.getByTestId('inbox-send-input')).toHaveFocus()
  })

  it('explains an AI that is off', async () => {
    const { user } = renderPanel(() => fail(422, 'A IA está desativada: nenhuma chave de modelo está configurada.', 'ai_disabled'))
    await user.click(screen.getByTestId('ai-analyze-now'))
    const notice = await screen.findByTestId('ai-disabled')
    expect(notice).toHaveTextContent('nenhuma chave de modelo está configurada')
    expect(notice).toHaveTextContent('Para ativar')
  })
})
