import { act, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { useAuthStore } from '@/lib/auth-store'
import { useToastStore } from '@/lib/toast'
import { fail, json, ok, stubFetch, type FetchHandler } from '@/testing/fetch-mock'

type Handler = (request: Parameters<FetchHandler>[0]) => Response | undefined
import { renderWithProviders } from '@/testing/render'
import { useOpenConversationStore } from '../api/open-conversation'
import { inboxRealtimeHandlers } from '../api/realtime'
import type { Conversation, Message } from '../api/types'
import { makeConversation, makeMessage, messagePage } from '../test-fixtures'
import { ChatView } from './chat-view'

const conversation = makeConversation({ id: 'conv-1', contactName: 'Grupo Vendas', isGroup: true, contactNumber: '120363@g.us' })
const media = (overrides: Partial<NonNullable<Message['media']>> = {}) => ({
  type: 'image',
  mimeType: 'image/jpeg',
  fileName: null,
  size: null,
  seconds: null,
  state: 'stored' as const,
  url: 'https://files.test/signed/1',
  ...overrides,
})
const sent = (status: Message['status'], overrides: Partial<Message> = {}) =>
  makeMessage({ id: `sent-${status}`, messageType: 'SENT', fromMe: true, status, messageText: `status ${status}`, ...overrides })

const original = makeMessage({ id: 'original', messageKeyId: 'KEY-ORIGINAL', messageText: 'Qual o preço?', authorName: 'Maria' })
const everyKind: Message[] = [
  original,
  makeMessage({ id: 'html', messageText: 'linha 1\nlinha 2 <b>negrito?</b>', authorName: 'João' }),
  makeMessage({ id: 'image', kind: 'image', messageText: 'foto do produto', media: media() }),
  makeMessage({ id: 'video', kind: 'video', messageText: null, media: media({ type: 'video', mimeType: 'video/mp4', url: 'https://files.test/v.mp4' }) }),
  makeMessage({ id: 'audio', kind: 'audio', messageText: null, media: media({ type: 'audio', mimeType: 'audio/mpeg', url: 'https://files.test/a.mp3' }) }),
  makeMessage({ id: 'ptt', kind: 'ptt', messageText: null, media: media({ type: 'ptt', mimeType: 'audio/ogg', seconds: 75, url: 'https://files.test/p.ogg' }) }),
  makeMessage({
    id: 'document',
    kind: 'document',
    messageText: null,
    media: media({ type: 'document', mimeType: 'application/pdf', fileName: 'proposta.pdf', size: 1536, url: 'https://files.test/d.pdf' }),
  }),
  makeMessage({ id: 'sticker', kind: 'sticker', messageText: null, media: media({ type: 'sticker', url: 'https://files.test/s.webp' }) }),
  makeMessage({
    id: 'location',
    kind: 'location',
    messageText: null,
    location: { latitude: -23.5505, longitude: -46.6333, name: 'Loja Centro', address: 'Praça da Sé, São Paulo' },
  }),
  makeMessage({ id: 'contact', kind: 'contact', messageText: null, contacts: [{ name: 'Pedro', phone: '5511977776666' }] }),
  makeMessage({ id: 'unknown', kind: 'unknown', messageText: null }),
  makeMessage({ id: 'deleted', deleted: true, messageText: null }),
  makeMessage({ id: 'pending-media', kind: 'image', messageText: null, media: media({ state: 'pending', url: null }) }),
  makeMessage({ id: 'rejected-media', kind: 'video', messageText: null, media: media({ state: 'rejected', url: null }) }),
  makeMessage({
    id: 'reply',
    messageText: 'R$ 10',
    replyTo: { messageKeyId: 'KEY-ORIGINAL', text: 'Qual o preço?' },
    reactions: [{ emoji: '👍', fromMe: false }],
  }),
  sent('PENDING'),
  sent('SENT'),
  sent('DELIVERED'),
  sent('READ', { isBot: true }),
  sent('FAILED', { error: 'número sem WhatsApp' }),
]

type Options = { conversation?: Conversation; messages?: Message[]; handler?: Handler }

function renderChat({ conversation: current = conversation, messages = everyKind, handler }: Options = {}) {
  useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
  const fetchMock = stubFetch((request) => {
    const { url } = request
    if (url === `/api/whatsapp/conversations/${current.id}`) return ok(current)
    if (url.startsWith(`/api/whatsapp/conversations/${current.id}/messages`)) return ok(messagePage(messages))
    if (url === `/api/whatsapp/conversations/${current.id}/read`) return ok({ updated: true })
    return handler?.(request) ?? fail(404, 'Not found', 'not_found')
  })
  const view = renderWithProviders(<ChatView conversationId={current.id} onClosed={() => undefined} />)
  return { ...view, fetchMock }
}

const bubble = (id: string) => screen.getAllByTestId('inbox-message').find((element) => element.dataset.messageId === id)!
const posted = (fetchMock: ReturnType<typeof stubFetch>, path: string) =>
  fetchMock.mock.calls.filter(([url, init]) => url === path && init?.method === 'POST')

afterEach(() => useOpenConversationStore.setState({ id: null }))

describe('ChatView', () => {
  it('renders every kind of message', async () => {
    renderChat()
    await waitFor(() => expect(screen.getAllByTestId('inbox-message')).toHaveLength(everyKind.length))

    expect(screen.getByTestId('inbox-chat-header')).toHaveTextContent('Grupo Vendas')
    expect(within(bubble('original')).getByText('Maria')).toBeInTheDocument()
    // Text keeps its line breaks and is never parsed as HTML.
    const html = within(bubble('html')).getByText(/linha 1/)
    expect(html.textContent).toBe('linha 1\nlinha 2 <b>negrito?</b>')
    expect(html).toHaveClass('whitespace-pre-wrap')
    expect(bubble('html').querySelector('b')).toBeNull()

    const image = within(bubble('image')).getByRole('img', { name: 'foto do produto' })
    expect(image).toHaveAttribute('src', 'https://files.test/signed/1')
    expect(image.closest('a')).toHaveAttribute('href', 'https://files.test/signed/1')
    expect(within(bubble('image')).getByText('foto do produto', { selector: 'p' })).toBeInTheDocument()
    expect(bubble('video').querySelector('video')).toHaveAttribute('src', 'https://files.test/v.mp4')
    expect(bubble('audio').querySelector('audio')).toHaveAttribute('src', 'https://files.test/a.mp3')
    expect(bubble('ptt').querySelector('audio')).toHaveAttribute('src', 'https://files.test/p.ogg')
    expect(bubble('ptt')).toHaveTextContent('1:15')
    const document = within(bubble('document')).getByTestId('inbox-document')
    expect(document).toHaveTextContent('proposta.pdf')
    expect(document).toHaveTextContent('PDF · 1,5 KB')
    expect(document).toHaveAttribute('href', 'https://files.test/d.pdf')
    expect(within(bubble('sticker')).getByRole('img', { name: 'Figurinha' })).toHaveAttribute('src', 'https://files.test/s.webp')
    const location = within(bubble('location')).getByTestId('inbox-location')
    expect(location).toHaveTextContent('Loja Centro')
    expect(location).toHaveTextContent('Praça da Sé, São Paulo')
    expect(location.getAttribute('href')).toContain(encodeURIComponent('-23.5505,-46.6333'))
    expect(within(bubble('contact')).getByTestId('inbox-contacts')).toHaveTextContent('Pedro+55 11 97777-6666')
    expect(bubble('unknown')).toHaveTextContent('Mensagem não suportada')
    expect(within(bubble('deleted')).getByTestId('inbox-message-deleted')).toHaveTextContent('Mensagem apagada')
    expect(bubble('pending-media')).toHaveTextContent('Baixando mídia…')
    expect(bubble('rejected-media')).toHaveTextContent('Mídia não aceita')
    expect(within(bubble('reply')).getByTestId('inbox-message-quote')).toHaveTextContent('Qual o preço?')
    expect(within(bubble('reply')).getByTestId('inbox-message-reactions')).toHaveTextContent('👍')
    expect(bubble('reply')).toHaveAttribute('data-direction', 'RECEIVED')
  })

  it('shows delivery ticks on sent messages, and the error of a failed one', async () => {
    renderChat()
    await waitFor(() => expect(screen.getAllByTestId('inbox-message')).toHaveLength(everyKind.length))
    const tick = (status: string) => bubble(`sent-${status}`).querySelector('[data-tick]')?.getAttribute('data-tick')

    expect(bubble('sent-PENDING')).toHaveAttribute('data-direction', 'SENT')
    expect(tick('PENDING')).toBe('pending')
    expect(tick('SENT')).toBe('sent')
    expect(tick('DELIVERED')).toBe('delivered')
    expect(tick('READ')).toBe('read')
    expect(bubble('sent-READ').querySelector('[data-tick]')).toHaveClass('text-sky-500')
    expect(bubble('sent-READ')).toHaveTextContent('IA')
    expect(tick('FAILED')).toBe('failed')
    expect(bubble('sent-FAILED').querySelector('[title]')?.getAttribute('title')).toMatch(/número sem WhatsApp.*envie de novo/)
    expect(within(bubble('sent-FAILED')).getByTestId('inbox-message-failed')).toHaveTextContent('Falha no envio: número sem WhatsApp.')
    expect(bubble('original').querySelector('[data-tick]')).toBeNull()
  })

  it('sends a failed message again from its bubble', async () => {
    const failed = sent('FAILED', { id: 'failed', messageKeyId: null, error: 'O gateway não respondeu' })
    const { user, fetchMock } = renderChat({
      messages: [failed],
      handler: ({ url }) => (url.endsWith('/messages/failed/retry') ? ok({ ...failed, status: 'PENDING', error: null }) : undefined),
    })
    await user.click(await screen.findByTestId('inbox-message-retry'))
    await waitFor(() => expect(bubble('failed')).toHaveAttribute('data-status', 'PENDING'))
    expect(posted(fetchMock, '/api/whatsapp/messages/failed/retry')).toHaveLength(1)
    expect(screen.queryByTestId('inbox-message-retry')).toBeNull()
  })

  it('marks the conversation read on opening and again when a message arrives while open', async () => {
    const { fetchMock, queryClient } = renderChat({ messages: [original] })
    await waitFor(() => expect(posted(fetchMock, '/api/whatsapp/conversations/conv-1/read')).toHaveLength(1))
    expect(useOpenConversationStore.getState().id).toBe('conv-1')

    const incoming = makeMessage({ id: 'new', conversationId: 'conv-1', messageText: 'Chegou agora' })
    act(() => inboxRealtimeHandlers(queryClient)['new-message']({ conversationId: 'conv-1', message: incoming, conversation }))
    expect(await screen.findByText('Chegou agora')).toBeInTheDocument()
    await waitFor(() => expect(posted(fetchMock, '/api/whatsapp/conversations/conv-1/read')).toHaveLength(2))
  })

  it('toggles the AI pause from the header', async () => {
    const { user, fetchMock } = renderChat({
      messages: [original],
      handler: ({ url }) => (url.endsWith('/toggle-pause') ? ok({ id: 'conv-1', isPaused: true }) : undefined),
    })
    const toggle = await screen.findByTestId('inbox-pause-toggle')
    expect(toggle).toHaveTextContent('IA ativa')
    await user.click(toggle)
    await waitFor(() => expect(screen.getByTestId('inbox-pause-toggle')).toHaveTextContent('IA pausada'))
    expect(posted(fetchMock, '/api/whatsapp/conversations/conv-1/toggle-pause')).toHaveLength(1)
  })
})

describe('SendBox', () => {
  const pendingReply = (body: { text: string; replyToMessageId?: string }) =>
    json(201, {
      success: true,
      messageId: null,
      data: makeMessage({
        id: 'optimistic',
        conversationId: 'conv-1',
        messageType: 'SENT',
        fromMe: true,
        status: 'PENDING',
        messageText: body.text,
        createdAt: '2030-01-01T12:05:00Z',
        sentAt: null,
      }),
    })

  it('sends on Enter (Shift+Enter is a new line) and appends the PENDING message, then follows socket statuses', async () => {
    const { user, fetchMock, queryClient } = renderChat({
      messages: [original],
      handler: ({ url, body }) => (url === '/api/whatsapp/send' ? pendingReply(body as { text: string }) : undefined),
    })
    const input = await screen.findByTestId('inbox-send-input')
    await user.type(input, 'Oi{Shift>}{Enter}{/Shift}tudo bem?')
    expect(input).toHaveValue('Oi\ntudo bem?')
    expect(posted(fetchMock, '/api/whatsapp/send')).toHaveLength(0)
    await user.keyboard('{Enter}')

    await waitFor(() => expect(bubble('optimistic')).toHaveAttribute('data-status', 'PENDING'))
    const [, init] = posted(fetchMock, '/api/whatsapp/send')[0]
    expect(JSON.parse(init?.body as string)).toEqual({ conversationId: 'conv-1', text: 'Oi\ntudo bem?' })
    expect(input).toHaveValue('')
    expect(bubble('optimistic')).toHaveAttribute('data-direction', 'SENT')

    const handlers = inboxRealtimeHandlers(queryClient)
    act(() => handlers['message-status']({ conversationId: 'conv-1', messageId: 'optimistic', messageKeyId: null, status: 'DELIVERED', error: null }))
    await waitFor(() => expect(bubble('optimistic')).toHaveAttribute('data-status', 'DELIVERED'))
    // A late, older status never turns the ticks back.
    act(() => handlers['message-status']({ conversationId: 'conv-1', messageId: 'optimistic', messageKeyId: null, status: 'SENT', error: null }))
    act(() => handlers['message-status']({ conversationId: 'conv-1', messageId: 'optimistic', messageKeyId: null, status: 'READ', error: null }))
    await waitFor(() => expect(bubble('optimistic')).toHaveAttribute('data-status', 'READ'))
  })

  it('replies to a message: quoted strip, cancel, and replyToMessageId in the request', async () => {
    const { user, fetchMock } = renderChat({
      messages: [original],
      handler: ({ url, body }) => (url === '/api/whatsapp/send' ? pendingReply(body as { text: string }) : undefined),
    })
    await waitFor(() => expect(bubble('original')).toBeInTheDocument())
    await user.click(within(bubble('original')).getByTestId('inbox-message-reply'))
    expect(screen.getByTestId('inbox-reply-strip')).toHaveTextContent('Qual o preço?')
    await user.click(screen.getByTestId('inbox-reply-cancel'))
    expect(screen.queryByTestId('inbox-reply-strip')).not.toBeInTheDocument()

    await user.click(within(bubble('original')).getByTestId('inbox-message-reply'))
    await user.type(screen.getByTestId('inbox-send-input'), 'R$ 10')
    await user.click(screen.getByTestId('inbox-send-button'))

    await waitFor(() => expect(posted(fetchMock, '/api/whatsapp/send')).toHaveLength(1))
    expect(JSON.parse(posted(fetchMock, '/api/whatsapp/send')[0][1]?.body as string)).toEqual({
      conversationId: 'conv-1',
      text: 'R$ 10',
      replyToMessageId: 'original',
    })
    await waitFor(() => expect(screen.queryByTestId('inbox-reply-strip')).not.toBeInTheDocument())
  })

  it("shows the quota (422) and not-connected (409) errors as a toast with the server's message and keeps the text", async () => {
    let answer = fail(422, 'A cota mensal de 1000 mensagens do plano Free acabou', 'unprocessable')
    const { user } = renderChat({ messages: [original], handler: ({ url }) => (url === '/api/whatsapp/send' ? answer : undefined) })
    const input = await screen.findByTestId('inbox-send-input')
    await user.type(input, 'Promoção{Enter}')

    await expect.poll(() => useToastStore.getState().toasts.map((item) => [item.tone, item.message])).toContainEqual([
      'error',
      'A cota mensal de 1000 mensagens do plano Free acabou',
    ])
    expect(input).toHaveValue('Promoção')

    answer = fail(409, 'A instância Vendas não está conectada', 'conflict')
    await user.keyboard('{Enter}')
    await expect.poll(() => useToastStore.getState().toasts.map((item) => item.message)).toContain('A instância Vendas não está conectada')
  })

  it('sends an attached file as multipart with its caption', async () => {
    const { user, fetchMock } = renderChat({
      messages: [original],
      handler: ({ url }) =>
        url === '/api/whatsapp/send-media'
          ? json(201, {
              success: true,
              data: makeMessage({ id: 'media-out', messageType: 'SENT', status: 'PENDING', kind: 'document', messageText: 'segue', media: media({ state: 'pending', url: null }) }),
            })
          : undefined,
    })
    const file = new File(['%PDF-1.4'], 'proposta.pdf', { type: 'application/pdf' })
    await user.upload(await screen.findByTestId('inbox-attach-input'), file)
    expect(screen.getByTestId('inbox-attachment')).toHaveTextContent('proposta.pdf')
    await user.type(screen.getByTestId('inbox-send-input'), 'segue{Enter}')

    await waitFor(() => expect(posted(fetchMock, '/api/whatsapp/send-media')).toHaveLength(1))
    const form = posted(fetchMock, '/api/whatsapp/send-media')[0][1]?.body as FormData
    expect(form).toBeInstanceOf(FormData)
    expect(form.get('file')).toBeInstanceOf(File)
    expect((form.get('file') as File).name).toBe('proposta.pdf')
    expect(form.get('conversationId')).toBe('conv-1')
    expect(form.get('caption')).toBe('segue')
    expect(form.get('mediaType')).toBe('document')
    const headers = posted(fetchMock, '/api/whatsapp/send-media')[0][1]?.headers as Record<string, string>
    expect(headers['Content-Type']).toBeUndefined()
    await waitFor(() => expect(bubble('media-out')).toHaveAttribute('data-status', 'PENDING'))
    expect(screen.queryByTestId('inbox-attachment')).not.toBeInTheDocument()
  })

  it('reacts with one of the quick emojis', async () => {
    const { user, fetchMock } = renderChat({
      messages: [original],
      handler: ({ url }) => (url === '/api/whatsapp/send-reaction' ? ok(null) : undefined),
    })
    await waitFor(() => expect(bubble('original')).toBeInTheDocument())
    await user.click(within(bubble('original')).getByTestId('inbox-message-react'))
    await user.click(await screen.findByRole('button', { name: 'Reagir com ❤️' }))

    await waitFor(() => expect(within(bubble('original')).getByTestId('inbox-message-reactions')).toHaveTextContent('❤️'))
    expect(JSON.parse(posted(fetchMock, '/api/whatsapp/send-reaction')[0][1]?.body as string)).toEqual({
      messageId: 'original',
      reaction: '❤️',
    })
  })

  it('does not send in an archived conversation and offers to unarchive it', async () => {
    const archived = { ...conversation, isArchived: true }
    const { user, fetchMock } = renderChat({
      conversation: archived,
      messages: [original],
      handler: ({ url }) => (url.endsWith('/unarchive') ? ok({ id: 'conv-1', isArchived: false }) : undefined),
    })
    expect(await screen.findByTestId('inbox-archived-notice')).toHaveTextContent('Esta conversa está arquivada.')
    expect(screen.queryByTestId('inbox-send-input')).not.toBeInTheDocument()
    await user.click(screen.getByTestId('inbox-unarchive'))
    expect(await screen.findByTestId('inbox-send-input')).toBeEnabled()
    expect(posted(fetchMock, '/api/whatsapp/conversations/conv-1/unarchive')).toHaveLength(1)
  })
})
