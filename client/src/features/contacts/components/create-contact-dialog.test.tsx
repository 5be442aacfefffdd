import { screen, waitFor, within } from '@testing-library/react'
import { Route, Routes } from 'react-router'
import { describe, expect, it } from 'vitest'
import { useAuthStore } from '@/lib/auth-store'
import { fail, json, stubFetch, type FetchHandler } from '@/testing/fetch-mock'
import { renderWithProviders } from '@/testing/render'
import { makeContact } from '../test-fixtures'
import { CreateContactDialog } from './create-contact-dialog'

function renderDialog(handler: FetchHandler) {
  useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
  const fetchMock = stubFetch(handler)
  const view = renderWithProviders(
    <Routes>
      <Route path="/" element={<CreateContactDialog />} />
      <Route path="/contacts/:contactId" element={<p data-testid="detail-route">detalhe</p>} />
    </Routes>,
  )
  return { ...view, fetchMock }
}

async function open(user: ReturnType<typeof renderDialog>['user']) {
  await user.click(screen.getByTestId('contact-create'))
  return screen.findByRole('dialog')
}

describe('CreateContactDialog', () => {
  it('checks the phone before sending anything', async () => {
    const { user, fetchMock } = renderDialog(() => fail(500, 'unexpected', 'internal_error'))
    const dialog = await open(user)
    await user.click(within(dialog).getByTestId('contact-create-submit'))
    expect(within(dialog).getByTestId('contact-create-phone')).toHaveAccessibleDescription('Campo obrigatório')
    await user.type(within(dialog).getByTestId('contact-create-phone'), '12 34')
    await user.type(within(dialog).getByTestId('contact-create-email'), 'ana@')
    await user.click(within(dialog).getByTestId('contact-create-submit'))
    expect(within(dialog).getByTestId('contact-create-phone')).toHaveAccessibleDescription(/de 8 a 15 dígitos/)
    expect(within(dialog).getByTestId('contact-create-email')).toHaveAccessibleDescription('Informe um e-mail válido')
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it('shows the 409 message with a link to the contact that already has the number', async () => {
    const { user } = renderDialog(() =>
      json(409, {
        success: false,
        code: 'contact_exists',
        error: 'Já existe um contato com este número: Ana Souza',
        details: [{ field: 'phoneNumber', contactId: 'c-ana' }],
      }),
    )
    const dialog = await open(user)
    await user.type(within(dialog).getByTestId('contact-create-phone'), '+55 (11) 99999-8888')
    await user.click(within(dialog).getByTestId('contact-create-submit'))

    const link = await within(dialog).findByTestId('contact-create-existing')
    expect(within(dialog).getByTestId('contact-exists')).toHaveTextContent('Já existe um contato com este número: Ana Souza')
    expect(link).toHaveAttribute('href', '/contacts/c-ana')
    await user.click(link)
    expect(await screen.findByTestId('detail-route')).toBeInTheDocument()
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
  })

  it('sends the trimmed fields and opens the new contact', async () => {
    const { user, fetchMock } = renderDialog(({ body }) =>
      json(201, { success: true, data: makeContact({ id: 'c-new', ...(body as object) }) }),
    )
    const dialog = await open(user)
    await user.type(within(dialog).getByTestId('contact-create-phone'), ' 5511988887777 ')
    await user.type(within(dialog).getByTestId('contact-create-name'), ' Bruno Lima ')
    await user.type(within(dialog).getByTestId('contact-create-notes'), 'Veio pela feira')
    await user.click(within(dialog).getByTestId('contact-create-submit'))

    expect(await screen.findByTestId('detail-route')).toBeInTheDocument()
    const [url, init] = fetchMock.mock.calls[0]
    expect(url).toBe('/api/contacts')
    expect(JSON.parse(init?.body as string)).toEqual({ phoneNumber: '5511988887777', name: 'Bruno Lima', notes: 'Veio pela feira' })
  })
})
