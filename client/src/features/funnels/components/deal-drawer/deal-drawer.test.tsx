import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { meQueryOptions } from '@/features/auth/api/me'
import type { MeWithCompany } from '@/features/auth/api/types'
import { useAuthStore } from '@/lib/auth-store'
import { createQueryClient } from '@/lib/query-client'
import { useToastStore } from '@/lib/toast'
import { fail, json, ok, stubFetch } from '@/testing/fetch-mock'
import { makeMe } from '@/testing/fixtures'
import { renderWithProviders } from '@/testing/render'
import type { Deal, DealNote } from '../../api/types'
import { makeBoard, makeDeal } from '../../test-fixtures'
import { DealDrawer } from './deal-drawer'

type Call = { url: string; method: string; body: unknown; init: RequestInit }

const storedNote: DealNote = {
  id: 'n1',
  title: null,
  content: 'Cliente pediu desconto',
  contentHtml: '<p><strong>Cliente</strong> pediu desconto<img src="x" onerror="alert(1)"></p>',
  createdBy: { id: 'user-2', fullName: 'Bruno' },
  createdAt: '2030-01-02T10:00:00Z',
  updatedAt: '2030-01-02T10:00:00Z',
}

function setup({ deal = makeDeal({ id: 'a', stageId: 's-novo', title: 'Site novo', value: 1500, noteCount: 1 }), me = makeMe() }: { deal?: Deal; me?: MeWithCompany } = {}) {
  useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
  let current = deal
  let notes = [storedNote]
  const calls: Call[] = []
  stubFetch(({ url, method, body, init }) => {
    calls.push({ url, method, body, init })
    if (url === '/api/deals/a' && method === 'GET') return ok(current)
    if (url === '/api/deals/a' && method === 'PUT') {
      current = { ...current, ...(body as Partial<Deal>), closedAt: (body as Partial<Deal>).status ? '2030-02-01T10:00:00Z' : null }
      return ok(current)
    }
    if (url === '/api/deals/a/notes' && method === 'GET') return ok(notes)
    if (url === '/api/deals/a/notes' && method === 'POST') {
      const { content, contentHtml } = body as DealNote
      const note = { ...storedNote, id: 'n2', content, contentHtml, createdBy: { id: 'user-1', fullName: 'Ana Lima' } }
      notes = [note, ...notes]
      return json(201, { success: true, data: note })
    }
    if (url === '/api/deals/a/attachments' && method === 'GET') {
      return ok([{ id: 'f1', fileName: 'proposta.pdf', fileUrl: '/api/files/proposta.pdf?sig=abc', fileSize: 2048, mimeType: 'application/pdf', createdBy: null, createdAt: '2030-01-02T10:00:00Z' }])
    }
    if (url === '/api/deals/a/attachments' && method === 'POST') return fail(415, 'Tipo de arquivo não permitido', 'unsupported_media_type')
    if (url === '/api/deals/a/activities') {
      return ok([{ id: 'ac1', type: 'CREATED', description: 'Negócio criado', metadata: null, actor: 'user', createdBy: { id: 'user-1', fullName: 'Ana Lima' }, createdAt: '2030-01-01T00:00:00Z' }])
    }
    return fail(404, 'Not found', 'not_found')
  })
  const queryClient = createQueryClient()
  queryClient.setQueryData(meQueryOptions.queryKey, me)
  const onClose = vi.fn()
  const view = renderWithProviders(<DealDrawer dealId="a" funnels={[makeBoard().funnel]} onClose={onClose} />, { queryClient })
  return { ...view, calls, onClose }
}

const drawer = () => screen.findByTestId('deal-drawer')
const requests = (calls: Call[], method: string, url: string) => calls.filter((call) => call.method === method && call.url === url)

describe('DealDrawer', () => {
  it('shows the deal with its stage, contact link, notes (sanitised), attachments and activity', async () => {
    setup({ deal: makeDeal({ id: 'a', stageId: 's-novo', title: 'Site novo', contact: { id: 'ct-1', name: 'Ana Souza', phoneNumber: null, avatarUrl: null } }) })
    const sheet = await drawer()
    expect(await within(sheet).findByTestId('deal-drawer-title')).toHaveTextContent('Site novo')
    expect(within(sheet).getByTestId('deal-stage')).toHaveTextContent('Novo lead · Vendas')
    expect(within(sheet).getByTestId('deal-contact-link')).toHaveAttribute('href', '/contacts/ct-1')

    const note = await within(sheet).findByTestId('deal-note')
    expect(within(note).getByText('Cliente').tagName).toBe('STRONG')
    expect(note.querySelector('img')).toBeNull()
    expect(note.innerHTML).not.toContain('onerror')

    const attachment = await within(sheet).findByTestId('deal-attachment')
    expect(attachment).toHaveTextContent('proposta.pdf')
    expect(attachment).toHaveTextContent('2 KB · application/pdf')
    expect(within(attachment).getByTestId('deal-attachment-download')).toHaveAttribute('href', '/api/files/proposta.pdf?sig=abc')
    expect(await within(sheet).findByText('Negócio criado')).toBeInTheDocument()
  })

  it('saves only the fields that changed', async () => {
    const { user, calls } = setup()
    const sheet = await drawer()
    const title = await within(sheet).findByTestId('deal-title-input')
    await user.clear(title)
    await user.type(title, 'Site novo + SEO')
    await user.clear(within(sheet).getByTestId('deal-value-input'))
    await user.type(within(sheet).getByTestId('deal-value-input'), '2.500,00')
    await user.click(within(sheet).getByTestId('deal-save'))

    await waitFor(() => expect(within(sheet).getByTestId('deal-drawer-title')).toHaveTextContent('Site novo + SEO'))
    expect(requests(calls, 'PUT', '/api/deals/a').map((call) => call.body)).toEqual([{ title: 'Site novo + SEO', value: 2500 }])
    expect(useToastStore.getState().toasts).toMatchObject([{ message: 'Negócio salvo' }])
  })

  it('adds a formatted note from the editor', async () => {
    const { user, calls } = setup()
    const sheet = await drawer()
    const editor = await within(sheet).findByTestId('deal-note-editor')
    expect(within(sheet).getByTestId('deal-note-save')).toBeDisabled()
    await user.click(editor)
    await user.type(editor, 'Ligar amanhã')
    // Formatting comes from the browser's editing commands (absent in jsdom): add some by hand.
    editor.innerHTML = '<b>Ligar</b> amanhã<script>alert(1)</script>'
    await user.click(within(sheet).getByTestId('deal-note-save'))

    await waitFor(() => expect(requests(calls, 'POST', '/api/deals/a/notes')).toHaveLength(1))
    expect(requests(calls, 'POST', '/api/deals/a/notes')[0].body).toEqual({ content: 'Ligar amanhã', contentHtml: '<b>Ligar</b> amanhã' })
    await waitFor(() => expect(within(sheet).getAllByTestId('deal-note')).toHaveLength(2))
    expect(within(sheet).getAllByTestId('deal-note')[0]).toHaveTextContent('Ligar amanhã')
    await waitFor(() => expect(editor).toBeEmptyDOMElement())
  })

  it('marks the deal lost with a reason', async () => {
    const { user, calls } = setup()
    const sheet = await drawer()
    await user.click(await within(sheet).findByTestId('deal-mark-lost'))
    const dialog = await screen.findByTestId('lost-reason-dialog')
    await user.type(within(dialog).getByTestId('lost-reason-input'), 'Sem orçamento')
    await user.click(within(dialog).getByTestId('lost-reason-confirm'))

    await waitFor(() => expect(screen.queryByTestId('lost-reason-dialog')).toBeNull())
    expect(requests(calls, 'PUT', '/api/deals/a').map((call) => call.body)).toEqual([{ status: 'LOST', lostReason: 'Sem orçamento' }])
    expect(await within(sheet).findByTestId('deal-lost-reason')).toHaveTextContent('Sem orçamento')
    expect(within(sheet).getByTestId('deal-title-input')).toBeDisabled()
  })

  it('marks the deal won', async () => {
    const { user, calls } = setup()
    const sheet = await drawer()
    await user.click(await within(sheet).findByTestId('deal-mark-won'))
    await waitFor(() => expect(within(sheet).getByTestId('deal-status')).toHaveTextContent('Ganho'))
    expect(requests(calls, 'PUT', '/api/deals/a').map((call) => call.body)).toEqual([{ status: 'WON' }])
  })

  it('offers reopening a closed deal to admins only', async () => {
    const closed = makeDeal({ id: 'a', stageId: 's-ganho', status: 'WON', closedAt: '2030-01-05T10:00:00Z' })
    setup({ deal: closed, me: makeMe({ role: 'coordinator' }) })
    const sheet = await drawer()
    await within(sheet).findByTestId('deal-status-actions')
    expect(within(sheet).queryByTestId('deal-reopen')).toBeNull()
    expect(within(sheet).queryByTestId('deal-mark-won')).toBeNull()
  })

  it('uploads an attachment and shows the refusal in the server words', async () => {
    const { user, calls } = setup()
    const sheet = await drawer()
    const input = await within(sheet).findByTestId('deal-attachment-input')
    // Named .png, but the server checks the content and refuses it.
    await user.upload(input, new File(['MZ'], 'foto.png', { type: 'image/png' }))
    expect(await within(sheet).findByText('Tipo de arquivo não permitido')).toBeInTheDocument()
    const upload = requests(calls, 'POST', '/api/deals/a/attachments')[0]
    expect(upload.init.body).toBeInstanceOf(FormData)
    expect(((upload.init.body as FormData).get('file') as File).name).toBe('foto.png')
  })
})
