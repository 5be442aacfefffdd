import { act, screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import AiAssistantRoute from '@/app/routes/ai'
import { useAuthStore } from '@/lib/auth-store'
import { fail, ok, stubFetch, type FetchHandler } from '@/testing/fetch-mock'
import { renderWithProviders } from '@/testing/render'
import type { AssistantConversation, AssistantMessage } from '../api/assistant'
import { disabledStatus, enabledStatus } from '../test-fixtures'

const funnelChat: AssistantConversation = {
  id: 'chat-1',
  title: 'Como está meu funil?',
  createdAt: '2030-01-01T10:00:00Z',
  lastMessageAt: '2030-01-01T10:01:00Z',
  messageCount: 2,
}

const funnelMessages: AssistantMessage[] = [
  { id: 'm1', role: 'user', content: 'Como está meu funil?', tools: [], createdAt: '2030-01-01T10:00:00Z' },
  {
    id: 'm2',
    role: 'assistant',
    content: 'Você tem 4 negócios em Proposta.',
    tools: [{ name: 'funnel_overview', arguments: {} }, { name: 'metrics', arguments: { days: 7 } }],
    createdAt: '2030-01-01T10:01:00Z',
  },
]

/** A reply the test releases when it wants, to see the page while the assistant "types". */
function deferred() {
  let release!: (response: Response) => void
  const promise = new Promise<Response>((resolve) => {
    release = resolve
  })
  return { promise, release }
}

function renderPage(handler: FetchHandler = () => fail(404, 'Not found', 'not_found'), { status = enabledStatus(), conversations = [funnelChat] } = {}) {
  useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
  let list = conversations
  const fetchMock = stubFetch((request) => {
    const { url, method } = request
    if (url === '/api/ai/status') return ok(status)
    if (url === '/api/ai/assistant/conversations') return ok(list)
    if (url === '/api/ai/assistant/conversations/chat-1/messages') return ok(funnelMessages)
    if (url === '/api/ai/assistant/conversations/chat-1' && method === 'DELETE') {
      list = list.filter((item) => item.id !== 'chat-1')
      return ok(undefined)
    }
    return handler(request)
  })
  return { ...renderWithProviders(<AiAssistantRoute />), fetchMock }
}

const posts = (fetchMock: ReturnType<typeof stubFetch>) =>
  fetchMock.mock.calls
    .filter(([url, init]) => url === '/api/ai/assistant/chat' && init?.method === 'POST')
    .map(([, init]) => JSON.parse(init?.body as string) as unknown)

describe('Assistente IA', () => {
  it('asks a suggested question, types while waiting, then shows the answer and the data consulted', async () => {
    const reply = deferred()
    const { user, fetchMock } = renderPage(({ url }) => (url === '/api/ai/assistant/chat' ? reply.promise : fail(404, 'Not found', 'not_found')))
    expect(await screen.findByTestId('assistant-conversation')).toHaveTextContent('Como está meu funil?')
    const suggestions = screen.getAllByTestId('assistant-suggestion').map((button) => button.textContent)
    expect(suggestions).toEqual(['Quais leads estão esperando resposta?', 'Como está meu funil?', 'Como ligo a IA?'])

    await user.click(screen.getAllByTestId('assistant-suggestion')[0])
    expect(await screen.findByTestId('assistant-typing')).toBeInTheDocument()
    expect(screen.getByTestId('assistant-message')).toHaveAttribute('data-pending', 'true')
    expect(posts(fetchMock)).toEqual([{ message: 'Quais leads estão esperando resposta?' }])

    await act(() => {
      reply.release(
        ok({
          response: 'Ana e Bruno esperam há mais de 2 horas.',
          conversationId: 'chat-2',
          messageId: 'a1',
          toolsUsed: [{ name: 'waiting_conversations', arguments: { minutes: 60 } }, { name: 'find_contacts', arguments: { q: 'Ana' } }],
        }),
      )
      return reply.promise
    })
    await waitFor(() => expect(screen.queryByTestId('assistant-typing')).not.toBeInTheDocument())
    const messages = await screen.findAllByTestId('assistant-message')
    expect(messages.map((item) => item.dataset.role)).toEqual(['user', 'assistant'])
    expect(messages[1]).toHaveTextContent('Ana e Bruno esperam há mais de 2 horas.')
    expect(within(messages[1]).getByTestId('assistant-tools')).toHaveTextContent('Dados consultados: conversas aguardando resposta, contatos')
    // The new conversation is now the open one: the next question continues it.
    await waitFor(() => expect(screen.getByTestId('assistant-chat')).toHaveAttribute('data-conversation-id', 'chat-2'))
  })

  it('opens a saved conversation, sends with Enter (Shift+Enter breaks the line) and keeps the question when the model fails', async () => {
    const { user, fetchMock } = renderPage(({ url }) =>
      url === '/api/ai/assistant/chat'
        ? fail(503, 'O assistente não conseguiu responder agora (timeout); tente de novo.', 'service_unavailable')
        : fail(404, 'Not found', 'not_found'),
    )
    await user.click(within(await screen.findByTestId('assistant-conversation')).getByText('Como está meu funil?'))
    const answer = (await screen.findAllByTestId('assistant-message'))[1]
    expect(within(answer).getByTestId('assistant-tools')).toHaveTextContent('Dados consultados: funil, métricas')

    const input = screen.getByTestId('assistant-input')
    await user.type(input, 'E esta semana?{Shift>}{Enter}{/Shift}Por etapa')
    expect(input).toHaveValue('E esta semana?\nPor etapa')
    await user.type(input, '{Enter}')
    expect(await screen.findByTestId('ai-error')).toHaveTextContent('O assistente não conseguiu responder agora (timeout); tente de novo.')
    expect(input).toHaveValue('E esta semana?\nPor etapa')
    expect(posts(fetchMock)).toEqual([{ message: 'E esta semana?\nPor etapa', conversationId: 'chat-1' }])
    expect(screen.getAllByTestId('assistant-message')).toHaveLength(2)
  })

  it('says the AI is off and how to turn it on', async () => {
    const { user } = renderPage(
      ({ url }) =>
        url === '/api/ai/assistant/chat'
          ? fail(422, 'A IA está desativada: nenhuma chave de modelo está configurada.', 'ai_disabled')
          : fail(404, 'Not found', 'not_found'),
      { status: disabledStatus(), conversations: [] },
    )
    expect(await screen.findByTestId('ai-disabled')).toHaveTextContent('nenhuma chave de modelo está configurada')
    expect(screen.getByTestId('assistant-conversations-empty')).toBeInTheDocument()
    await user.type(screen.getByTestId('assistant-input'), 'Como ligo a IA?{Enter}')
    const notices = await screen.findAllByTestId('ai-disabled')
    expect(notices).toHaveLength(2)
    expect(notices[1]).toHaveTextContent('Para ativar')
    expect(within(notices[1]).getByTestId('ai-enable-link')).toHaveAttribute('href', '/settings/ai')
  })

  it('deletes a conversation after confirming', async () => {
    const { user, fetchMock } = renderPage()
    await user.click(within(await screen.findByTestId('assistant-conversation')).getByTestId('assistant-conversation-delete'))
    const dialog = await screen.findByTestId('assistant-delete-dialog')
    expect(dialog).toHaveTextContent('A conversa “Como está meu funil?” e todas as suas mensagens serão apagadas.')
    await user.click(within(dialog).getByTestId('assistant-delete-confirm'))
    expect(await screen.findByTestId('assistant-conversations-empty')).toBeInTheDocument()
    expect(fetchMock.mock.calls.some(([url, init]) => url === '/api/ai/assistant/conversations/chat-1' && init?.method === 'DELETE')).toBe(true)
  })
})
