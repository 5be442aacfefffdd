import { screen, waitFor, within } from '@testing-library/react'
import { Route, Routes } from 'react-router'
import { describe, expect, it } from 'vitest'
import { meQueryOptions } from '@/features/auth/api/me'
import { useAuthStore } from '@/lib/auth-store'
import { createQueryClient } from '@/lib/query-client'
import { fail, json, ok, stubFetch, type FetchHandler } from '@/testing/fetch-mock'
import { allPermissions, makeMe } from '@/testing/fixtures'
import { renderWithProviders } from '@/testing/render'
import type { Contact } from '../api/types'
import { lead, makeContact, makeNote, makeTimelineItem, vip } from '../test-fixtures'
import { ContactDetailPage } from './contact-detail-page'

type Handler = (request: Parameters<FetchHandler>[0]) => Response | undefined

const firstPage = {
  items: [
    makeTimelineItem(),
    makeTimelineItem({ id: 'msg-1', kind: 'message', type: 'MESSAGE_RECEIVED', actor: 'customer', user: null, summary: 'Oi, tem o plano anual?' }),
  ],
  nextCursor: 'cursor-2',
}
const secondPage = {
  items: [makeTimelineItem({ id: 'ev-0', type: 'CREATED', actor: 'system', user: null, summary: 'Contato criado pelo WhatsApp' })],
  nextCursor: null,
}

const member = makeMe({ role: 'member', permissions: { ...allPermissions, canManageContacts: false } })
const coordinator = makeMe({ role: 'coordinator' })

function renderDetail({ me = makeMe(), contact = makeContact(), handler }: { me?: ReturnType<typeof makeMe>; contact?: Contact; handler?: Handler } = {}) {
  useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
  const fetchMock = stubFetch((request) => {
    const { url } = request
    const answer = handler?.(request)
    if (answer) return answer
    if (url === '/api/auth/me') return ok(me)
    if (url === '/api/contacts/tags/list') return ok([vip, lead])
    if (url === `/api/contacts/${contact.id}`) return ok(contact)
    if (url === `/api/contacts/${contact.id}/notes`) return ok([makeNote()])
    if (url === `/api/contacts/${contact.id}/timeline?limit=50`) return ok(firstPage)
    if (url === `/api/contacts/${contact.id}/timeline?limit=50&before=cursor-2`) return ok(secondPage)
    return fail(404, 'Not found', 'not_found')
  })
  // /me is known from the first render, so a hidden control is hidden for good, not just not loaded yet.
  const queryClient = createQueryClient()
  queryClient.setQueryData(meQueryOptions.queryKey, me)
  const view = renderWithProviders(
    <Routes>
      <Route path="/" element={<ContactDetailPage contactId={contact.id} />} />
      <Route path="/contacts" element={<p data-testid="list-route">lista</p>} />
    </Routes>,
    { queryClient },
  )
  return { ...view, fetchMock }
}

const calls = (fetchMock: ReturnType<typeof stubFetch>, method: string, path: string) =>
  fetchMock.mock.calls.filter(([url, init]) => url === path && (init?.method ?? 'GET') === method)

describe('ContactDetailPage', () => {
  it('shows the profile, tags, notes, deals, conversations and the timeline with "load more"', async () => {
    const { user, fetchMock } = renderDetail()
    expect(await screen.findByTestId('contact-name')).toHaveTextContent('Ana Souza')
    expect(screen.getByTestId('contact-header')).toHaveTextContent('+55 11 99999-8888')
    expect(screen.getByTestId('contact-email')).toHaveTextContent('ana@example.com')
    expect(screen.getAllByTestId('contact-custom-field').map((row) => row.textContent)).toEqual(['cidadeCampinas', 'pedidos3'])
    expect(within(screen.getByTestId('contact-tags')).getByTestId('contact-tag-chip')).toHaveTextContent('VIP')
    expect(await screen.findByTestId('contact-note')).toHaveTextContent('Pediu orçamento do plano anual')
    expect(screen.getByTestId('contact-note')).toHaveTextContent('Ana Lima')
    expect(screen.getByTestId('contact-deal')).toHaveAttribute('href', '/funnels/f-vendas')
    expect(screen.getByTestId('contact-deal')).toHaveTextContent('Plano anual')
    expect(screen.getByTestId('contact-deal')).toHaveTextContent('Em aberto')
    expect(screen.getByTestId('contact-conversation')).toHaveAttribute('href', '/inbox/conv-1')

    const items = await screen.findAllByTestId('contact-timeline-item')
    expect(items.map((item) => item.dataset.kind)).toEqual(['event', 'message'])
    expect(items[0]).toHaveTextContent('Tag VIP adicionada')
    expect(items[0]).toHaveTextContent('Ana Lima')
    expect(items[1]).toHaveTextContent('Cliente')

    await user.click(screen.getByTestId('contact-timeline-more'))
    await waitFor(() => expect(screen.getAllByTestId('contact-timeline-item')).toHaveLength(3))
    expect(screen.getAllByTestId('contact-timeline-item')[2]).toHaveTextContent('Sistema')
    expect(screen.queryByTestId('contact-timeline-more')).toBeNull()
    expect(calls(fetchMock, 'GET', '/api/contacts/c-ana/timeline?limit=50&before=cursor-2')).toHaveLength(1)
  })

  it('hides every write action from a member without canManageContacts', async () => {
    renderDetail({ me: member })
    await screen.findByTestId('contact-note')
    expect(screen.getByTestId('contact-export')).toBeInTheDocument()
    for (const testId of [
      'contact-edit',
      'contact-block',
      'contact-erase',
      'contact-tags-add',
      'contact-tag-remove',
      'contact-note-input',
      'contact-note-delete',
    ]) {
      expect(screen.queryByTestId(testId), testId).toBeNull()
    }
  })

  it('lets a contact manager edit but keeps the erasure for admins', async () => {
    renderDetail({ me: coordinator })
    await screen.findByTestId('contact-note')
    await waitFor(() => expect(screen.getByTestId('contact-edit')).toBeInTheDocument())
    expect(screen.getByTestId('contact-note-input')).toBeInTheDocument()
    expect(screen.queryByTestId('contact-erase')).toBeNull()
  })

  it('says the contact is not found on a 404', async () => {
    renderDetail({ handler: ({ url }) => (url === '/api/contacts/c-ana' ? fail(404, 'Contato não encontrado', 'not_found') : undefined) })
    expect(await screen.findByTestId('contact-not-found')).toHaveTextContent('Contato não encontrado')
  })

  it('adds a note, an existing tag and a new tag', async () => {
    const { user, fetchMock } = renderDetail({
      handler: ({ url, method, body }) => {
        if (url === '/api/contacts/c-ana/notes' && method === 'POST') {
          return json(201, { success: true, data: makeNote({ id: 'note-2', content: (body as { content: string }).content }) })
        }
        if (url === '/api/contacts/tags' && method === 'POST') {
          return json(201, { success: true, data: { ...vip, id: 'tag-new', name: (body as { name: string }).name } })
        }
        if (url.startsWith('/api/contacts/c-ana/tags/') && method === 'POST') return ok(undefined, { message: 'ok' })
        return undefined
      },
    })
    await user.type(await screen.findByTestId('contact-note-input'), '  Ligar na segunda  ')
    await user.click(screen.getByTestId('contact-note-add'))
    await waitFor(() => expect(screen.getAllByTestId('contact-note')[0]).toHaveTextContent('Ligar na segunda'))
    expect(screen.getByTestId('contact-note-input')).toHaveValue('')
    expect(JSON.parse(calls(fetchMock, 'POST', '/api/contacts/c-ana/notes')[0][1]?.body as string)).toEqual({ content: 'Ligar na segunda' })

    await user.click(screen.getByTestId('contact-tags-add'))
    // VIP is on the contact already: only the others are offered.
    const options = await screen.findAllByTestId('contact-tags-option')
    expect(options.map((option) => option.dataset.tagId)).toEqual(['tag-lead'])
    await user.click(options[0])
    await waitFor(() => expect(calls(fetchMock, 'POST', '/api/contacts/c-ana/tags/tag-lead')).toHaveLength(1))

    await user.click(screen.getByTestId('contact-tags-add'))
    await user.type(await screen.findByTestId('contact-tags-search'), 'Indicação')
    await user.click(screen.getByTestId('contact-tags-create'))
    await waitFor(() => expect(calls(fetchMock, 'POST', '/api/contacts/c-ana/tags/tag-new')).toHaveLength(1))
    expect(JSON.parse(calls(fetchMock, 'POST', '/api/contacts/tags')[0][1]?.body as string)).toEqual({ name: 'Indicação' })
  })

  it('saves the profile with custom fields as key/value rows', async () => {
    const { user, fetchMock } = renderDetail({
      handler: ({ url, method, body }) =>
        url === '/api/contacts/c-ana' && method === 'PUT' ? ok(makeContact(body as Partial<Contact>)) : undefined,
    })
    await user.click(await screen.findByTestId('contact-edit'))
    const name = screen.getByTestId('contact-edit-name')
    await user.clear(name)
    await user.type(name, 'Ana Souza Lima')
    await user.click(screen.getByTestId('contact-custom-field-add'))
    const keys = screen.getAllByTestId('contact-custom-field-key')
    const values = screen.getAllByTestId('contact-custom-field-value')
    await user.type(keys[2], 'Cidade')
    await user.type(values[2], 'Campinas')
    await user.click(screen.getByTestId('contact-save'))
    // Keys are unique ignoring case: nothing is sent until the duplicate is fixed.
    expect(await screen.findByText('Há dois campos com o mesmo nome.')).toBeInTheDocument()
    expect(calls(fetchMock, 'PUT', '/api/contacts/c-ana')).toHaveLength(0)

    await user.clear(keys[2])
    await user.type(keys[2], 'origem')
    await user.click(screen.getByTestId('contact-save'))
    await waitFor(() => expect(screen.queryByTestId('contact-edit-form')).toBeNull())
    expect(JSON.parse(calls(fetchMock, 'PUT', '/api/contacts/c-ana')[0][1]?.body as string)).toEqual({
      name: 'Ana Souza Lima',
      email: 'ana@example.com',
      notes: 'Prefere contato à tarde',
      customFields: { cidade: 'Campinas', pedidos: 3, origem: 'Campinas' },
    })
  })

  it('erases only after the phone number is typed, then goes back to the list', async () => {
    const { user, fetchMock, queryClient } = renderDetail({
      handler: ({ url, method }) =>
        url === '/api/contacts/c-ana/erase' && method === 'POST' ? ok({ messages: 12, media: 2, conversations: 1 }) : undefined,
    })
    await user.click(await screen.findByTestId('contact-erase'))
    const dialog = await screen.findByRole('alertdialog')
    const confirm = within(dialog).getByTestId('contact-erase-confirm')
    expect(confirm).toBeDisabled()

    await user.type(within(dialog).getByTestId('contact-erase-input'), '+55 11 99999-888')
    expect(confirm).toBeDisabled()
    await user.click(confirm)
    expect(calls(fetchMock, 'POST', '/api/contacts/c-ana/erase')).toHaveLength(0)

    await user.type(within(dialog).getByTestId('contact-erase-input'), '8')
    expect(confirm).toBeEnabled()
    await user.click(confirm)

    expect(await screen.findByTestId('list-route')).toBeInTheDocument()
    await waitFor(() => expect(queryClient.getQueryData(['contacts', 'detail', 'c-ana'])).toBeUndefined())
    expect(queryClient.getQueryData(['contacts', 'notes', 'c-ana'])).toBeUndefined()
    // The API compares with the stored number, whatever formatting was typed.
    expect(JSON.parse(calls(fetchMock, 'POST', '/api/contacts/c-ana/erase')[0][1]?.body as string)).toEqual({ confirm: '5511999998888' })
  })
})
