import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { useAuthStore } from '@/lib/auth-store'
import { useToastStore } from '@/lib/toast'
import { fail, json, ok, stubFetch } from '@/testing/fetch-mock'
import { renderWithProviders } from '@/testing/render'
import { lead, makeTag, vip } from '../test-fixtures'
import { ManageTagsDialog } from './manage-tags-dialog'

const cliente = makeTag({ id: 'tag-cliente', name: 'Cliente', color: '#10B981' })

function renderDialog() {
  useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
  const fetchMock = stubFetch(({ url, method, body }) => {
    if (url === '/api/contacts/tags/list') return ok([cliente, lead, vip])
    if (url === '/api/contacts/tags' && method === 'POST') {
      const { name } = body as { name: string }
      if (name.toLowerCase() === 'vip') return fail(409, 'Já existe uma tag com este nome', 'conflict')
      return json(201, { success: true, data: makeTag({ id: 'tag-new', ...(body as object) }) })
    }
    if (url.startsWith('/api/contacts/tags/') && method === 'PUT') return ok({ ...vip, ...(body as object) })
    if (url.startsWith('/api/contacts/tags/') && method === 'DELETE') return ok(undefined, { message: 'ok' })
    if (url === '/api/contacts/tags/merge' && method === 'POST') return ok({ merged: 1, contactsUpdated: 4, targetTag: cliente })
    return fail(404, 'Not found', 'not_found')
  })
  return { ...renderWithProviders(<ManageTagsDialog />), fetchMock }
}

const sent = (fetchMock: ReturnType<typeof stubFetch>, method: string, url: string) =>
  fetchMock.mock.calls.filter(([called, init]) => called === url && init?.method === method).map(([, init]) => JSON.parse(init?.body as string) as unknown)

const row = (id: string) => screen.getAllByTestId('tag-row').find((item) => item.dataset.tagId === id)!

describe('ManageTagsDialog', () => {
  it('creates a tag with a colour and shows the 409 for a taken name', async () => {
    const { user, fetchMock } = renderDialog()
    await user.click(screen.getByTestId('contacts-manage-tags'))
    await screen.findAllByTestId('tag-row')

    await user.type(screen.getByTestId('tags-new-name'), 'vip')
    await user.click(screen.getByTestId('tags-new-submit'))
    expect(await within(screen.getByTestId('tags-new-form')).findByRole('alert')).toHaveTextContent('Já existe uma tag com este nome')

    await user.clear(screen.getByTestId('tags-new-name'))
    await user.type(screen.getByTestId('tags-new-name'), 'Indicação')
    await user.click(within(screen.getByTestId('tags-new-color')).getByRole('button', { name: '#6366F1' }))
    await user.click(screen.getByTestId('tags-new-submit'))
    await waitFor(() => expect(screen.getByTestId('tags-new-name')).toHaveValue(''))
    expect(sent(fetchMock, 'POST', '/api/contacts/tags').at(-1)).toEqual({ name: 'Indicação', color: '#6366F1' })
  })

  it('renames and recolours, deletes after asking, and merges the ticked tags into one', async () => {
    const { user, fetchMock } = renderDialog()
    await user.click(screen.getByTestId('contacts-manage-tags'))
    await screen.findAllByTestId('tag-row')

    await user.click(within(row('tag-vip')).getByTestId('tag-edit'))
    const name = within(row('tag-vip')).getByTestId('tag-edit-name')
    await user.clear(name)
    await user.type(name, 'Cliente VIP')
    await user.click(within(row('tag-vip')).getByRole('button', { name: '#A855F7' }))
    await user.click(within(row('tag-vip')).getByTestId('tag-edit-save'))
    await waitFor(() => expect(sent(fetchMock, 'PUT', '/api/contacts/tags/tag-vip')).toEqual([{ name: 'Cliente VIP', color: '#A855F7' }]))

    await user.click(within(row('tag-lead')).getByTestId('tag-delete'))
    await user.click(within(row('tag-lead')).getByTestId('tag-delete-confirm'))
    await waitFor(() =>
      expect(fetchMock.mock.calls.some(([url, init]) => url === '/api/contacts/tags/tag-lead' && init?.method === 'DELETE')).toBe(true),
    )

    await user.click(within(row('tag-cliente')).getByTestId('tag-merge-select'))
    await user.click(within(row('tag-vip')).getByTestId('tag-merge-select'))
    await user.selectOptions(screen.getByTestId('tags-merge-target'), 'tag-cliente')
    await user.click(screen.getByTestId('tags-merge-submit'))
    // The target is never its own source.
    await waitFor(() =>
      expect(sent(fetchMock, 'POST', '/api/contacts/tags/merge')).toEqual([{ sourceTagIds: ['tag-vip'], targetTagId: 'tag-cliente' }]),
    )
    await waitFor(() => expect(screen.queryByTestId('tags-merge-bar')).toBeNull())
    expect(useToastStore.getState().toasts.at(-1)?.message).toBe('Tags mescladas. Contatos atualizados: 4.')
  })
})
