import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { SendBox } from '@/features/inbox/components/send-box'
import { useAuthStore } from '@/lib/auth-store'
import { useToastStore } from '@/lib/toast'
import { fail, ok, stubFetch } from '@/testing/fetch-mock'
import { renderWithProviders } from '@/testing/render'
import { REPLIES } from '../test-fixtures'

const RENDERED: Record<string, string> = {
  'qr-preco': 'Olá Maria, o modelo custa R$ 99.',
  'qr-prazo': 'Entregamos em 3 dias.',
  'qr-oi': 'Oi Maria Silva!',
}

function renderSendBox(renderStatus = 200) {
  useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
  const fetchMock = stubFetch(({ url, method }) => {
    if (url === '/api/quick-replies' && method === 'GET') return ok(REPLIES)
    const render = /^\/api\/quick-replies\/([\w-]+)\/render$/.exec(url)
    if (render && method === 'POST') {
      return renderStatus === 200 ? ok({ text: RENDERED[render[1]] }) : fail(renderStatus, 'Conversa não encontrada', 'not_found')
    }
    return fail(404, 'Not found', 'not_found')
  })
  const view = renderWithProviders(
    <SendBox conversationId="conv-1" archived={false} replyTo={null} onCancelReply={() => undefined} onUnarchive={() => undefined} />,
  )
  return { ...view, fetchMock, input: screen.getByTestId<HTMLTextAreaElement>('inbox-send-input') }
}

const shortcutsShown = () =>
  screen.getAllByTestId('quick-reply-option').map((option) => option.querySelector('span')?.textContent)

const calls = (fetchMock: ReturnType<typeof stubFetch>, path: string) =>
  fetchMock.mock.calls.filter(([url]) => url === path)

describe('Quick reply picker in the send box', () => {
  it('opens on "/", filters as the user types and inserts the rendered reply chosen by keyboard', async () => {
    const { user, input, fetchMock } = renderSendBox()
    await user.type(input, 'Bom dia! /')
    expect(await screen.findByTestId('quick-reply-picker')).toBeInTheDocument()
    await waitFor(() => expect(shortcutsShown()).toEqual(['/oi', '/pix', '/preco', '/prazo']))

    await user.type(input, 'pr')
    expect(shortcutsShown()).toEqual(['/preco', '/prazo'])
    const options = screen.getAllByTestId('quick-reply-option')
    expect(options[0]).toHaveAttribute('aria-selected', 'true')
    expect(input).toHaveAttribute('aria-activedescendant', options[0].id)

    await user.keyboard('{ArrowUp}')
    expect(options[1]).toHaveAttribute('aria-selected', 'true') // wraps around
    await user.keyboard('{ArrowDown}')
    expect(options[0]).toHaveAttribute('aria-selected', 'true')
    await user.keyboard('{ArrowDown}')
    expect(options[1]).toHaveAttribute('aria-selected', 'true')
    await user.keyboard('{Enter}')

    await waitFor(() => expect(input).toHaveValue('Bom dia! Entregamos em 3 dias.'))
    expect(screen.queryByTestId('quick-reply-picker')).not.toBeInTheDocument()
    const [[, init]] = calls(fetchMock, '/api/quick-replies/qr-prazo/render')
    expect(JSON.parse(init?.body as string)).toEqual({ conversationId: 'conv-1' })
    // Enter chose a reply; it did not send the message.
    expect(calls(fetchMock, '/api/whatsapp/send')).toHaveLength(0)
    expect(input.selectionStart).toBe(input.value.length)
  })

  it('matches titles too, keeps the text after the caret and picks with the mouse', async () => {
    const { user, input } = renderSendBox()
    await user.type(input, ' até logo')
    input.setSelectionRange(0, 0)
    await user.type(input, '/tabela', { initialSelectionStart: 0, initialSelectionEnd: 0 })
    await waitFor(() => expect(shortcutsShown()).toEqual(['/preco']))
    await user.click(screen.getByTestId('quick-reply-option'))
    await waitFor(() => expect(input).toHaveValue('Olá Maria, o modelo custa R$ 99. até logo'))
  })

  it('closes on Escape, ignores "/" inside a word and says when nothing matches', async () => {
    const { user, input, fetchMock } = renderSendBox()
    await user.type(input, 'e/ou')
    expect(screen.queryByTestId('quick-reply-picker')).not.toBeInTheDocument()
    expect(calls(fetchMock, '/api/quick-replies')).toHaveLength(0)

    await user.type(input, ' /xyz')
    const picker = await screen.findByTestId('quick-reply-picker')
    expect(await within(picker).findByText('Nenhuma resposta rápida para /xyz')).toBeInTheDocument()
    await user.keyboard('{Escape}')
    expect(screen.queryByTestId('quick-reply-picker')).not.toBeInTheDocument()
    // Still closed while the same shortcut is typed on; a new "/" opens it again.
    await user.type(input, 'w')
    expect(screen.queryByTestId('quick-reply-picker')).not.toBeInTheDocument()
    await user.type(input, ' /p')
    await waitFor(() => expect(shortcutsShown()).toEqual(['/pix', '/preco', '/prazo']))
  })

  it('keeps the typed text and shows the error when rendering fails', async () => {
    const { user, input } = renderSendBox(404)
    await user.type(input, '/oi')
    await waitFor(() => expect(shortcutsShown()).toEqual(['/oi']))
    await user.keyboard('{Tab}')
    await waitFor(() => expect(useToastStore.getState().toasts.map((t) => t.message)).toEqual(['Conversa não encontrada']))
    expect(input).toHaveValue('/oi')
  })
})
