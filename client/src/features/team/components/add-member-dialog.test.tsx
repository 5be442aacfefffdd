import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { useAuthStore } from '@/lib/auth-store'
import { fail, json, stubFetch } from '@/testing/fetch-mock'
import { allPermissions } from '@/testing/fixtures'
import { renderWithProviders } from '@/testing/render'
import { AddMemberDialog } from './add-member-dialog'

async function openForm() {
  useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
  const view = renderWithProviders(<AddMemberDialog />)
  await view.user.click(screen.getByTestId('team-add-member'))
  const dialog = await screen.findByRole('dialog')
  return { ...view, dialog }
}

describe('AddMemberDialog', () => {
  it('validates on the client and sends nothing while the form is invalid', async () => {
    const fetchMock = stubFetch(() => fail(500, 'unexpected', 'internal_error'))
    const { user, dialog } = await openForm()

    await user.click(within(dialog).getByTestId('member-form-submit'))
    expect(within(dialog).getByLabelText('E-mail')).toHaveAccessibleDescription('Campo obrigatório')

    await user.type(within(dialog).getByLabelText('E-mail'), 'joao@')
    await user.type(within(dialog).getByLabelText('Senha inicial'), '123')
    await user.click(within(dialog).getByTestId('member-form-submit'))

    expect(within(dialog).getByLabelText('E-mail')).toHaveAccessibleDescription('Informe um e-mail válido')
    expect(within(dialog).getByLabelText('Senha inicial')).toHaveAttribute('aria-invalid', 'true')
    expect(within(dialog).getByText('A senha precisa ter pelo menos 8 caracteres')).toBeVisible()
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it("shows the API's details[] under the matching field", async () => {
    stubFetch(() =>
      fail(400, 'validation_error', 'validation_error', [
        { field: 'body.password', code: 'required', message: 'Informe uma senha para um novo usuário' },
        { field: 'body', code: 'invalid', message: 'Pedido inválido' },
      ]),
    )
    const { user, dialog } = await openForm()
    await user.type(within(dialog).getByLabelText('E-mail'), 'joao@example.com')
    await user.click(within(dialog).getByTestId('member-form-submit'))

    expect(await within(dialog).findByLabelText('Senha inicial')).toHaveAccessibleDescription(
      'Informe uma senha para um novo usuário',
    )
    // The banner carries only what no field can show.
    expect(within(dialog).getAllByRole('alert').map((alert) => alert.textContent)).toEqual([
      'Pedido inválido',
      'Informe uma senha para um novo usuário',
    ])
  })

  it('sends the new member and closes on success', async () => {
    const fetchMock = stubFetch(({ body }) =>
      json(201, {
        success: true,
        data: { id: 'm2', userId: 'u2', role: 'member', permissions: allPermissions, createdAt: '2026-01-01', ...(body as object) },
      }),
    )
    const { user, dialog } = await openForm()
    await user.type(within(dialog).getByLabelText('E-mail'), ' joao@example.com ')
    await user.type(within(dialog).getByLabelText('Nome completo'), 'João Souza')
    await user.selectOptions(within(dialog).getByLabelText('Função'), 'coordinator')
    await user.type(within(dialog).getByLabelText('Senha inicial'), 'segredo123')
    await user.click(within(dialog).getByTestId('member-form-submit'))

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument())
    expect(fetchMock).toHaveBeenCalledOnce()
    const [url, init] = fetchMock.mock.calls[0]
    expect(url).toBe('/api/company/members')
    expect(JSON.parse(init?.body as string)).toEqual({
      email: 'joao@example.com',
      fullName: 'João Souza',
      role: 'coordinator',
      password: 'segredo123',
    })
  })
})
