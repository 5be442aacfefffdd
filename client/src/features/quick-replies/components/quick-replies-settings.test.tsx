import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import QuickRepliesRoute from '@/app/routes/settings/quick-replies'
import type { Me } from '@/features/auth/api/types'
import { useAuthStore } from '@/lib/auth-store'
import { fail, json, ok, stubFetch } from '@/testing/fetch-mock'
import { makeMe } from '@/testing/fixtures'
import { renderWithProviders } from '@/testing/render'
import type { QuickReply } from '../api/quick-replies'
import { makeReply } from '../test-fixtures'

function renderPage(me: Me, initial: QuickReply[] = []) {
  useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
  let replies = initial
  const fetchMock = stubFetch(({ url, method, body }) => {
    if (url === '/api/auth/me') return ok(me)
    if (url.startsWith('/api/quick-replies') && method === 'GET') return ok(replies)
    if (url === '/api/quick-replies' && method === 'POST') {
      const created = makeReply({ id: 'qr-new', ...(body as Partial<QuickReply>) })
      replies = [...replies, created]
      return json(201, { success: true, data: created })
    }
    const item = /^\/api\/quick-replies\/([\w-]+)$/.exec(url)
    if (item && method === 'PUT') {
      replies = replies.map((reply) => (reply.id === item[1] ? { ...reply, ...(body as Partial<QuickReply>) } : reply))
      return ok(replies.find((reply) => reply.id === item[1]))
    }
    if (item && method === 'DELETE') {
      replies = replies.filter((reply) => reply.id !== item[1])
      return ok(undefined)
    }
    return fail(404, 'Not found', 'not_found')
  })
  const view = renderWithProviders(<QuickRepliesRoute />)
  return { ...view, fetchMock }
}

const posted = (fetchMock: ReturnType<typeof stubFetch>) =>
  fetchMock.mock.calls
    .filter(([url, init]) => url === '/api/quick-replies' && init?.method === 'POST')
    .map(([, init]) => JSON.parse(init?.body as string) as unknown)

describe('Quick replies settings', () => {
  it('creates a company reply with a variable and shows it in the list', async () => {
    const { user, fetchMock } = renderPage(makeMe())
    expect(await screen.findByTestId('quick-replies-empty')).toBeInTheDocument()
    await user.click(screen.getByTestId('quick-reply-create'))
    const dialog = await screen.findByRole('dialog')

    await user.type(within(dialog).getByTestId('quick-reply-shortcut'), '/preco')
    await user.type(within(dialog).getByTestId('quick-reply-title'), 'Preço')
    await user.type(within(dialog).getByTestId('quick-reply-content'), 'Olá ')
    await user.click(within(dialog).getByRole('button', { name: 'Primeiro nome' }))
    await user.type(within(dialog).getByTestId('quick-reply-content'), ', custa R$ 99 na {{{{company.name}}') // "{{" types one "{"
    expect(within(dialog).getByTestId('quick-reply-content')).toHaveValue(
      'Olá {{contact.firstName}}, custa R$ 99 na {{company.name}}',
    )
    expect(within(dialog).getByTestId('quick-reply-preview')).toHaveTextContent('Olá Maria, custa R$ 99 na Loja Alfa')
    expect(within(dialog).getByTestId('quick-reply-scope')).toHaveValue('company')
    await user.click(within(dialog).getByTestId('quick-reply-submit'))

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument())
    expect(posted(fetchMock)).toEqual([
      { shortcut: 'preco', title: 'Preço', content: 'Olá {{contact.firstName}}, custa R$ 99 na {{company.name}}', scope: 'company' },
    ])
    const row = await screen.findByTestId('quick-reply-row')
    expect(row).toHaveTextContent('/preco')
    expect(row).toHaveTextContent('Empresa')
  })

  it('checks the shortcut before sending and gives members personal replies only', async () => {
    const { user, fetchMock } = renderPage(makeMe({ role: 'member' }), [makeReply({ id: 'qr-company' })])
    const row = await screen.findByTestId('quick-reply-row')
    // A member may use company replies but not change them.
    expect(within(row).queryByTestId('quick-reply-edit')).not.toBeInTheDocument()
    expect(within(row).queryByTestId('quick-reply-delete')).not.toBeInTheDocument()

    await user.click(screen.getByTestId('quick-reply-create'))
    const dialog = await screen.findByRole('dialog')
    expect(within(dialog).queryByTestId('quick-reply-scope')).not.toBeInTheDocument()
    await user.type(within(dialog).getByTestId('quick-reply-shortcut'), 'com espaço')
    await user.type(within(dialog).getByTestId('quick-reply-title'), 'Oi')
    await user.type(within(dialog).getByTestId('quick-reply-content'), 'Olá!')
    await user.click(within(dialog).getByTestId('quick-reply-submit'))
    expect(await within(dialog).findByText('Use de 1 a 40 letras, números, - ou _, sem espaços.')).toBeInTheDocument()
    expect(posted(fetchMock)).toEqual([])

    await user.clear(within(dialog).getByTestId('quick-reply-shortcut'))
    await user.type(within(dialog).getByTestId('quick-reply-shortcut'), 'oi')
    await user.click(within(dialog).getByTestId('quick-reply-submit'))
    await waitFor(() => expect(posted(fetchMock)).toEqual([{ shortcut: 'oi', title: 'Oi', content: 'Olá!', scope: 'personal' }]))
  })

  it('edits and deletes a reply after confirmation', async () => {
    const { user, fetchMock } = renderPage(makeMe({ role: 'coordinator' }), [makeReply({ id: 'qr-1', shortcut: 'preco' })])
    await user.click(await screen.findByTestId('quick-reply-edit'))
    const dialog = await screen.findByRole('dialog')
    expect(within(dialog).getByTestId('quick-reply-shortcut')).toHaveValue('preco')
    await user.clear(within(dialog).getByTestId('quick-reply-title'))
    await user.type(within(dialog).getByTestId('quick-reply-title'), 'Preços 2030')
    await user.click(within(dialog).getByTestId('quick-reply-submit'))
    expect(await screen.findByText('Preços 2030')).toBeInTheDocument()
    const put = fetchMock.mock.calls.find(([, init]) => init?.method === 'PUT')
    expect(put?.[0]).toBe('/api/quick-replies/qr-1')

    await user.click(screen.getByTestId('quick-reply-delete'))
    expect(await screen.findByText('Excluir /preco?')).toBeInTheDocument()
    await user.click(screen.getByTestId('quick-reply-delete-confirm'))
    expect(await screen.findByTestId('quick-replies-empty')).toBeInTheDocument()
    expect(fetchMock.mock.calls.some(([url, init]) => url === '/api/quick-replies/qr-1' && init?.method === 'DELETE')).toBe(true)
  })
})
