import { screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { useAuthStore } from '@/lib/auth-store'
import { useToastStore } from '@/lib/toast'
import { fail, json, ok, stubFetch } from '@/testing/fetch-mock'
import { renderWithProviders } from '@/testing/render'
import { CredentialForm } from './credential-form'
import { SandboxCard } from './sandbox-card'

function renderForm() {
  useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
  return renderWithProviders(<CredentialForm />)
}

async function fill(user: ReturnType<typeof renderForm>['user'], url: string, key: string) {
  await user.selectOptions(screen.getByTestId('credential-form-provider'), 'UAZAPI')
  await user.type(screen.getByTestId('credential-form-url'), url)
  await user.type(screen.getByTestId('credential-form-key'), key)
  await user.click(screen.getByTestId('credential-form-submit'))
}

describe('CredentialForm', () => {
  it('checks the fields before sending anything', async () => {
    const fetchMock = stubFetch(() => fail(500, 'unexpected', 'internal_error'))
    const { user } = renderForm()
    await user.click(screen.getByTestId('credential-form-submit'))
    expect(screen.getByTestId('credential-form-url')).toHaveAccessibleDescription('Campo obrigatório')
    await user.type(screen.getByTestId('credential-form-url'), 'gateway.local')
    await user.click(screen.getByTestId('credential-form-submit'))
    expect(screen.getByTestId('credential-form-url')).toHaveAccessibleDescription(/http:\/\/ ou https:\/\//)
    expect(screen.getByTestId('credential-form-key')).toHaveAttribute('type', 'password')
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it("shows the server's 422 (the gateway refused the key) next to the form and keeps the values", async () => {
    const fetchMock = stubFetch(() => fail(422, 'A chave da API foi recusada pelo gateway', 'unprocessable'))
    const { user } = renderForm()
    await fill(user, 'https://uaz.example.com', ' wrong-key ')

    expect(await screen.findByTestId('credential-form-error')).toHaveTextContent('A chave da API foi recusada pelo gateway')
    expect(screen.getByTestId('credential-form-url')).toHaveValue('https://uaz.example.com')
    const [url, init] = fetchMock.mock.calls[0]
    expect(url).toBe('/api/whatsapp/provider-credentials')
    expect(JSON.parse(init?.body as string)).toEqual({ provider: 'UAZAPI', apiUrl: 'https://uaz.example.com', apiKey: 'wrong-key' })
  })

  it('clears the form and says so once saved', async () => {
    stubFetch(({ body }) =>
      json(201, { success: true, data: { id: 'cred-1', ...(body as object), isActive: true, createdAt: '2030-01-01T00:00:00Z' } }),
    )
    const { user } = renderForm()
    await fill(user, 'https://uaz.example.com', 'good-key')
    await expect.poll(() => useToastStore.getState().toasts.map((item) => item.message)).toContain('Provedor adicionado.')
    expect(screen.getByTestId('credential-form-key')).toHaveValue('')
  })
})

describe('SandboxCard', () => {
  it('is hidden when the sandbox does not run (404)', async () => {
    useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
    const fetchMock = stubFetch(() => fail(404, 'Not found', 'not_found'))
    renderWithProviders(<SandboxCard hasEvolution={false} />)
    await expect.poll(() => fetchMock.mock.calls.length).toBe(1)
    expect(screen.queryByTestId('sandbox-card')).not.toBeInTheDocument()
  })

  it('creates an Evolution credential with the sandbox URL and key, and links to its phone', async () => {
    useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
    const sandbox = { url: 'http://127.0.0.1:8090', apiKey: 'sandbox-key', phoneUrl: 'http://127.0.0.1:8090/phone' }
    const fetchMock = stubFetch(({ url }) =>
      url === '/api/whatsapp/sandbox'
        ? ok(sandbox)
        : json(201, { success: true, data: { id: 'c', provider: 'EVOLUTION', apiUrl: sandbox.url, isActive: true, createdAt: '' } }),
    )
    const { user } = renderWithProviders(<SandboxCard hasEvolution={false} />)
    const card = await screen.findByTestId('sandbox-card')
    expect(card).toHaveTextContent('Sem número de WhatsApp? Use o sandbox')
    expect(within(card).getByTestId('sandbox-phone-link')).toHaveAttribute('href', sandbox.phoneUrl)

    await user.click(within(card).getByTestId('sandbox-use-button'))
    await expect.poll(() => fetchMock.mock.calls.length).toBe(2)
    const [url, init] = fetchMock.mock.calls[1]
    expect(url).toBe('/api/whatsapp/provider-credentials')
    expect(JSON.parse(init?.body as string)).toEqual({ provider: 'EVOLUTION', apiUrl: sandbox.url, apiKey: sandbox.apiKey })
  })
})
