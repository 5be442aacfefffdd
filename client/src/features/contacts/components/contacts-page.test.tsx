import { fireEvent, screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { meQueryOptions } from '@/features/auth/api/me'
import { useAuthStore } from '@/lib/auth-store'
import { createQueryClient } from '@/lib/query-client'
import { useToastStore } from '@/lib/toast'
import { bearerOf, fail, ok, stubFetch, type FetchHandler } from '@/testing/fetch-mock'
import { makeMe } from '@/testing/fixtures'
import { renderWithProviders } from '@/testing/render'
import { contactPage, funnels, lead, makeSummary, stubDownloads, vip } from '../test-fixtures'
import { ContactsPage } from './contacts-page'

const ana = makeSummary()
const bruno = makeSummary({
  id: 'c-bruno',
  name: null,
  pushName: 'Bruno',
  displayName: 'Bruno',
  phoneNumber: '14155550100',
  email: null,
  isBlocked: true,
  tags: [],
  currentStage: null,
  lastActivityAt: null,
})

type Handler = (request: Parameters<FetchHandler>[0]) => Response | undefined

function renderPage({ me = makeMe(), handler }: { me?: ReturnType<typeof makeMe>; handler?: Handler } = {}) {
  useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
  const fetchMock = stubFetch((request) => {
    const { url } = request
    if (url === '/api/auth/me') return ok(me)
    if (url === '/api/contacts/tags/list') return ok([vip, lead])
    if (url === '/api/funnels') return ok(funnels)
    const answer = handler?.(request)
    if (answer) return answer
    if (url.startsWith('/api/contacts?')) return ok(contactPage([ana, bruno], { total: 120, totalPages: 3 }))
    return fail(404, 'Not found', 'not_found')
  })
  // /me is known from the first render, so a hidden control is hidden for good, not just not loaded yet.
  const queryClient = createQueryClient()
  queryClient.setQueryData(meQueryOptions.queryKey, me)
  return { ...renderWithProviders(<ContactsPage />, { queryClient }), fetchMock }
}

const listCalls = (fetchMock: ReturnType<typeof stubFetch>) =>
  fetchMock.mock.calls.map(([url]) => url).filter((url): url is string => typeof url === 'string' && url.startsWith('/api/contacts?'))
const lastListQuery = (fetchMock: ReturnType<typeof stubFetch>) =>
  Object.fromEntries(new URLSearchParams(listCalls(fetchMock).at(-1)?.split('?')[1]))

afterEach(() => vi.restoreAllMocks())

describe('ContactsPage', () => {
  it('lists contacts with phone, tags, stage and the blocked mark', async () => {
    const { fetchMock } = renderPage()
    const rows = await screen.findAllByTestId('contacts-row')
    expect(rows.map((row) => row.dataset.contactId)).toEqual(['c-ana', 'c-bruno'])
    expect(listCalls(fetchMock)[0]).toBe('/api/contacts?page=1&limit=50&sort=-createdAt')

    const first = within(rows[0])
    expect(first.getByTestId('contacts-row-link')).toHaveAttribute('href', '/contacts/c-ana')
    expect(first.getByText('+55 11 99999-8888')).toBeInTheDocument()
    expect(first.getByText('~Aninha')).toBeInTheDocument()
    expect(first.getByTestId('contact-tag-chip')).toHaveTextContent('VIP')
    expect(first.getByTestId('contact-tag-chip')).toHaveStyle({ backgroundColor: vip.color })
    expect(first.getByText('Proposta')).toBeInTheDocument()
    expect(within(rows[1]).getByText('Bloqueado')).toBeInTheDocument()
    expect(within(rows[1]).getByText('+14155550100')).toBeInTheDocument()
    expect(screen.getByTestId('contacts-page-info')).toHaveTextContent('1–50 de 120')
  })

  it('sends search (debounced), filters, sort and page in the query string', { timeout: 20_000 }, async () => {
    const { user, fetchMock } = renderPage()
    await screen.findAllByTestId('contacts-row')

    await user.type(screen.getByTestId('contacts-search'), 'ana')
    await waitFor(() => expect(lastListQuery(fetchMock).search).toBe('ana'))
    // One request per settled search, not one per keystroke.
    expect(listCalls(fetchMock).filter((url) => url.includes('search='))).toHaveLength(1)

    await user.click(screen.getByTestId('contacts-filters-toggle'))
    await user.click(screen.getByTestId('contacts-filter-tags'))
    const options = await screen.findAllByTestId('contacts-filter-tag-option')
    await user.click(options[0])
    await user.click(options[1])
    await user.click(screen.getByTestId('contacts-filter-tag-match-all'))
    await user.keyboard('{Escape}')
    await waitFor(() => expect(screen.getByTestId('contacts-filter-funnel')).toBeEnabled())
    await user.selectOptions(screen.getByTestId('contacts-filter-funnel'), 'f-vendas')
    // Only the chosen funnel's stages are offered.
    expect(within(screen.getByTestId('contacts-filter-stage')).queryByText('Onboarding')).toBeNull()
    await user.selectOptions(screen.getByTestId('contacts-filter-stage'), 'st-proposta')
    await user.selectOptions(screen.getByTestId('contacts-filter-blocked'), 'false')
    fireEvent.change(screen.getByTestId('contacts-filter-created-from'), { target: { value: '2030-01-01' } })
    fireEvent.change(screen.getByTestId('contacts-filter-activity-to'), { target: { value: '2030-02-28' } })
    await user.click(screen.getByTestId('contacts-sort-name'))
    await waitFor(() => expect(screen.getByTestId('contacts-page-next')).toBeEnabled())
    await user.click(screen.getByTestId('contacts-page-next'))

    await waitFor(() =>
      expect(lastListQuery(fetchMock)).toEqual({
        page: '2',
        limit: '50',
        search: 'ana',
        tagIds: 'tag-vip,tag-lead',
        tagMatch: 'all',
        funnelId: 'f-vendas',
        stageId: 'st-proposta',
        isBlocked: 'false',
        createdFrom: '2030-01-01',
        activityTo: '2030-02-28',
        sort: 'name',
      }),
    )
    expect(screen.getByTestId('contacts-filters-count')).toHaveTextContent('6')
    expect(screen.getByTestId('contacts-sort-name').closest('th')).toHaveAttribute('aria-sort', 'ascending')

    // A new sort goes back to the first page; clearing drops search and filters but keeps the sort.
    await user.click(screen.getByTestId('contacts-sort-name'))
    await waitFor(() => expect(lastListQuery(fetchMock)).toMatchObject({ page: '1', sort: '-name' }))
    await user.click(screen.getByTestId('contacts-filters-clear'))
    await waitFor(() => expect(lastListQuery(fetchMock)).toEqual({ page: '1', limit: '50', sort: '-name' }))
    expect(screen.getByTestId('contacts-search')).toHaveValue('')
  })

  it('adds a tag to the selected contacts', async () => {
    const { user, fetchMock } = renderPage({
      handler: ({ url, method }) => (url === '/api/contacts/tags/assign' && method === 'POST' ? ok({ changed: 2 }) : undefined),
    })
    await screen.findAllByTestId('contacts-row')
    await user.click(screen.getByTestId('contacts-select-all'))
    expect(screen.getByTestId('contacts-bulk-bar')).toHaveTextContent('Selecionados: 2')

    await user.click(screen.getByTestId('contacts-bulk-add-tag'))
    await user.click((await screen.findAllByTestId('contacts-bulk-tag-option'))[1])

    await waitFor(() => expect(useToastStore.getState().toasts.at(-1)?.message).toBe('Tag adicionada. Contatos alterados: 2.'))
    const call = fetchMock.mock.calls.find(([url]) => url === '/api/contacts/tags/assign')
    expect(JSON.parse(call?.[1]?.body as string)).toEqual({ contactIds: ['c-ana', 'c-bruno'], tagIds: ['tag-lead'] })
  })

  it('hides every write action from a member without canManageContacts', async () => {
    renderPage({ me: makeMe({ role: 'member', permissions: { ...makeMe().permissions, canManageContacts: false } }) })
    await screen.findAllByTestId('contacts-row')
    expect(screen.getByTestId('contact-export-csv')).toBeInTheDocument()
    for (const testId of ['contact-create', 'contact-import', 'contacts-manage-tags', 'contacts-select-all', 'contacts-select-row']) {
      expect(screen.queryByTestId(testId)).toBeNull()
    }
  })

  it('downloads the CSV of the current filters with the bearer token', async () => {
    const { createObjectURL, click } = stubDownloads()
    const { user, fetchMock } = renderPage({
      handler: ({ url }) =>
        url.startsWith('/api/contacts/export')
          ? new Response('\uFEFFname,phoneNumber\nAna,5511999998888\n', {
              status: 200,
              headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="contatos.csv"' },
            })
          : undefined,
    })
    await screen.findAllByTestId('contacts-row')
    await user.click(screen.getByTestId('contacts-filters-toggle'))
    await user.selectOptions(screen.getByTestId('contacts-filter-blocked'), 'true')
    await user.click(screen.getByTestId('contacts-sort-createdAt'))
    await user.click(screen.getByTestId('contact-export-csv'))

    await waitFor(() => expect(click).toHaveBeenCalled())
    const [url, init] = fetchMock.mock.calls.find(([called]) => typeof called === 'string' && called.startsWith('/api/contacts/export'))!
    expect(url).toBe('/api/contacts/export?isBlocked=true&sort=createdAt')
    expect(bearerOf(init)).toBe('Bearer token')
    const blob = createObjectURL.mock.calls[0][0]
    expect(await blob.text()).toContain('Ana,5511999998888')
    const anchor = click.mock.contexts[0] as HTMLAnchorElement
    expect(anchor.download).toBe('contatos.csv')
  })

  it('says so when nothing matches, and offers to clear the filters', async () => {
    const { user } = renderPage({
      handler: ({ url }) => (url.includes('search=zzz') ? ok(contactPage([])) : undefined),
    })
    await screen.findAllByTestId('contacts-row')
    await user.type(screen.getByTestId('contacts-search'), 'zzz')
    expect(await screen.findByTestId('contacts-empty')).toHaveTextContent('Nenhum contato encontrado')
  })

  it('shows the error and retries', async () => {
    let calls = 0
    const { user } = renderPage({
      handler: ({ url }) => (url.startsWith('/api/contacts?') && calls++ === 0 ? fail(500, 'boom', 'internal_error') : undefined),
    })
    expect(await screen.findByRole('alert')).toHaveTextContent('Algo deu errado')
    await user.click(screen.getByText('Tentar novamente'))
    expect(await screen.findAllByTestId('contacts-row')).toHaveLength(2)
  })
})
