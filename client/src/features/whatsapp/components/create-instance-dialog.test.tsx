import { screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { useAuthStore } from '@/lib/auth-store'
import { fail, stubFetch } from '@/testing/fetch-mock'
import { renderWithProviders } from '@/testing/render'
import { CreateInstanceDialog } from './create-instance-dialog'

async function openDialog() {
  useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
  const view = renderWithProviders(<CreateInstanceDialog providers={['EVOLUTION']} />)
  await view.user.click(screen.getByTestId('instance-create'))
  return { ...view, dialog: await screen.findByRole('dialog') }
}

describe('CreateInstanceDialog', () => {
  it('validates the name like the server and sends nothing while it is invalid', async () => {
    const fetchMock = stubFetch(() => fail(500, 'unexpected', 'internal_error'))
    const { user, dialog } = await openDialog()
    const name = within(dialog).getByTestId('instance-create-name')

    await user.click(within(dialog).getByTestId('instance-create-submit'))
    expect(name).toHaveAccessibleDescription('Campo obrigatório')
    await user.type(name, 'ab')
    await user.click(within(dialog).getByTestId('instance-create-submit'))
    expect(name).toHaveAccessibleDescription('Use de 3 a 50 caracteres')
    await user.type(name, 'c!')
    await user.click(within(dialog).getByTestId('instance-create-submit'))
    expect(name).toHaveAccessibleDescription(/Use apenas letras/)
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it("sends a valid name and shows the plan-limit 422 in the dialog", async () => {
    const fetchMock = stubFetch(() => fail(422, 'O plano Free permite 1 instância(s). Faça upgrade para conectar mais números.', 'unprocessable'))
    const { user, dialog } = await openDialog()
    await user.type(within(dialog).getByTestId('instance-create-name'), ' Vendas   São Paulo ')
    await user.click(within(dialog).getByTestId('instance-create-submit'))

    expect(await within(dialog).findByRole('alert')).toHaveTextContent('O plano Free permite 1 instância(s)')
    const [url, init] = fetchMock.mock.calls[0]
    expect(url).toBe('/api/whatsapp/instances')
    expect(JSON.parse(init?.body as string)).toEqual({ instanceName: 'Vendas São Paulo', provider: 'EVOLUTION' })
  })

  it('shows a 409 (name taken) too', async () => {
    stubFetch(() => fail(409, 'Já existe uma instância chamada Vendas', 'conflict'))
    const { user, dialog } = await openDialog()
    await user.type(within(dialog).getByTestId('instance-create-name'), 'Vendas')
    await user.click(within(dialog).getByTestId('instance-create-submit'))
    expect(await within(dialog).findByText('Já existe uma instância chamada Vendas')).toBeVisible()
  })
})
