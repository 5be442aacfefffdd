import { act, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { useAuthStore } from '@/lib/auth-store'
import { fail, ok, stubFetch } from '@/testing/fetch-mock'
import { renderWithProviders } from '@/testing/render'
import { useOpenConversationStore } from '../api/open-conversation'
import { inboxRealtimeHandlers } from '../api/realtime'
import { conversationPage, makeConversation, makeMessage } from '../test-fixtures'
import { ConversationList } from './conversation-list'

const ana = makeConversation({
  id: 'ana',
  contactName: 'Ana Souza',
  unreadCount: 2,
  lastMessageAt: '2030-01-02T10:00:00Z',
  lastMessage: { messageText: null, messageType: 'RECEIVED', kind: 'image', status: 'RECEIVED', createdAt: '2030-01-02T10:00:00Z' },
})
const bruno = makeConversation({
  id: 'bruno',
  contactName: 'Bruno Lima',
  contact: { id: 'c-bruno', name: 'Bruno Lima', phoneNumber: '5511911112222', email: null, isBlocked: false, tags: [], avatarUrl: '/api/media/bruno.jpg?exp=1&sig=x' },
  isPaused: true,
  lastMessageAt: '2030-01-01T09:00:00Z',
  lastMessage: { messageText: 'Até amanhã', messageType: 'SENT', kind: 'text', status: 'READ', createdAt: '2030-01-01T09:00:00Z' },
})
const carla = makeConversation({
  id: 'carla',
  contactName: 'Carla',
  lastMessage: { messageText: null, messageType: 'RECEIVED', kind: 'ptt', status: 'RECEIVED', createdAt: '2030-01-01T08:00:00Z' },
  lastMessageAt: '2030-01-01T08:00:00Z',
})

function renderList(activeId?: string) {
  useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
  const fetchMock = stubFetch(({ url }) => {
    if (url.startsWith('/api/whatsapp/conversations?')) return ok(conversationPage([ana, bruno, carla]))
    return fail(404, 'Not found', 'not_found')
  })
  const view = renderWithProviders(
    <ConversationList activeId={activeId} instances={[{ id: 'inst-1', instanceName: 'Vendas', connectionStatus: 'open' }]} />,
  )
  return { ...view, fetchMock }
}

const order = () => screen.getAllByTestId('inbox-conversation-item').map((item) => item.getAttribute('data-conversation-id'))
const item = (id: string) => screen.getAllByTestId('inbox-conversation-item').find((row) => row.dataset.conversationId === id)!

afterEach(() => useOpenConversationStore.setState({ id: null }))

describe('ConversationList', () => {
  it('lists conversations with previews, kind icons, ticks, unread badges and the paused mark', async () => {
    const { fetchMock } = renderList()
    await waitFor(() => expect(order()).toEqual(['ana', 'bruno', 'carla']))

    expect(fetchMock.mock.calls[0][0]).toBe('/api/whatsapp/conversations?page=1&limit=30&isArchived=false')
    expect(item('ana')).toHaveAttribute('href', '/inbox/ana')
    expect(within(item('ana')).getByTestId('inbox-conversation-preview')).toHaveTextContent('📷Foto')
    expect(within(item('ana')).getByTestId('inbox-unread-badge')).toHaveTextContent('2')
    expect(within(item('bruno')).getByTestId('inbox-conversation-preview')).toHaveTextContent('Até amanhã')
    expect(within(item('bruno')).getByLabelText('Lida')).toBeInTheDocument()
    expect(within(item('bruno')).getByTestId('inbox-conversation-paused')).toBeInTheDocument()
    expect(within(item('carla')).getByTestId('inbox-conversation-preview')).toHaveTextContent('🎤Mensagem de voz')
    expect(screen.getByTestId('inbox-filter-unread')).toHaveTextContent('2')
    expect(within(item('bruno')).getByTestId('conversation-photo')).toHaveAttribute('src', '/api/media/bruno.jpg?exp=1&sig=x')
    expect(within(item('ana')).queryByTestId('conversation-photo')).toBeNull()
  })

  it('moves a conversation to the top and raises its badge when a message arrives, without refetching', async () => {
    const { queryClient, fetchMock } = renderList()
    await waitFor(() => expect(order()).toEqual(['ana', 'bruno', 'carla']))
    const handlers = inboxRealtimeHandlers(queryClient)

    const message = makeMessage({ conversationId: 'carla', messageText: 'Oi, ainda tem?', createdAt: '2030-01-03T10:00:00Z' })
    act(() =>
      handlers['new-message']({
        conversationId: 'carla',
        message,
        conversation: {
          ...carla,
          unreadCount: 1,
          lastMessageAt: message.createdAt,
          lastMessage: { messageText: 'Oi, ainda tem?', messageType: 'RECEIVED', kind: 'text', status: 'RECEIVED', createdAt: message.createdAt },
        },
      }),
    )
    await waitFor(() => expect(order()).toEqual(['carla', 'ana', 'bruno']))
    expect(within(item('carla')).getByTestId('inbox-unread-badge')).toHaveTextContent('1')
    expect(within(item('carla')).getByTestId('inbox-conversation-preview')).toHaveTextContent('Oi, ainda tem?')
    expect(screen.getByTestId('inbox-filter-unread')).toHaveTextContent('3')

    // A conversation the list has never seen is added on top.
    const dani = makeConversation({ id: 'dani', contactName: 'Dani', unreadCount: 1, lastMessageAt: '2030-01-03T11:00:00Z' })
    act(() => handlers['new-message']({ conversationId: 'dani', message: makeMessage({ conversationId: 'dani' }), conversation: dani }))
    await waitFor(() => expect(order()).toEqual(['dani', 'carla', 'ana', 'bruno']))

    // An archived conversation leaves the list of open ones.
    act(() => handlers['conversation-updated']({ conversation: { ...ana, isArchived: true } }))
    await waitFor(() => expect(order()).toEqual(['dani', 'carla', 'bruno']))
    act(() => handlers['conversation-updated']({ conversationId: 'bruno', deleted: true }))
    await waitFor(() => expect(order()).toEqual(['dani', 'carla']))

    expect(fetchMock).toHaveBeenCalledTimes(1)
  })

  it('does not raise the badge of the conversation that is open', async () => {
    const { queryClient } = renderList('bruno')
    await waitFor(() => expect(order()).toEqual(['ana', 'bruno', 'carla']))
    useOpenConversationStore.setState({ id: 'bruno' })

    const message = makeMessage({ conversationId: 'bruno', createdAt: '2030-01-03T10:00:00Z' })
    act(() =>
      inboxRealtimeHandlers(queryClient)['new-message']({
        conversationId: 'bruno',
        message,
        conversation: { ...bruno, unreadCount: 1, lastMessageAt: message.createdAt },
      }),
    )
    await waitFor(() => expect(order()).toEqual(['bruno', 'ana', 'carla']))
    expect(within(item('bruno')).queryByTestId('inbox-unread-badge')).not.toBeInTheDocument()
    expect(item('bruno')).toHaveAttribute('aria-current', 'page')
  })

  it('sends the filters to the API (search debounced, archived, unread, AI state)', async () => {
    const { user, fetchMock } = renderList()
    await waitFor(() => expect(order()).toHaveLength(3))
    await user.click(screen.getByTestId('inbox-filter-archived'))
    await user.selectOptions(screen.getByTestId('inbox-filter-status'), 'paused')
    await user.type(screen.getByTestId('inbox-search'), 'ana')

    await waitFor(() =>
      expect(fetchMock.mock.calls.at(-1)?.[0]).toBe(
        '/api/whatsapp/conversations?page=1&limit=30&isArchived=true&status=paused&search=ana',
      ),
    )
    // One request per settled search, not one per keystroke.
    expect(fetchMock.mock.calls.filter(([url]) => typeof url === 'string' && url.includes('search='))).toHaveLength(1)
  })
})
