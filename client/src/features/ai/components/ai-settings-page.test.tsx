import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import AiSettingsRoute from '@/app/routes/settings/ai'
import type { Me } from '@/features/auth/api/types'
import { useAuthStore } from '@/lib/auth-store'
import { fail, ok, stubFetch } from '@/testing/fetch-mock'
import { allPermissions, makeMe } from '@/testing/fixtures'
import { renderWithProviders } from '@/testing/render'
import type { AiInstanceSettings, AiStatus } from '../api/types'
import { disabledStatus, enabledStatus, makeInstance, usage } from '../test-fixtures'

function renderPage({ me = makeMe(), status = enabledStatus(), instances = [makeInstance()] }: { me?: Me; status?: AiStatus; instances?: AiInstanceSettings[] } = {}) {
  useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
  let current = instances
  const fetchMock = stubFetch(({ url, method, body }) => {
    if (url === '/api/auth/me') return ok(me)
    if (url === '/api/ai/status') return ok(status)
    if (url === '/api/ai/usage') return ok(usage())
    if (url === '/api/ai/instances') return ok(current)
    if (url === '/api/ai/company-key' && method === 'PUT') {
      return ok({ ...status, keySource: 'company', companyKey: { hint: '…abcd', model: null, updatedAt: '2030-01-01T12:00:00Z' } })
    }
    const item = /^\/api\/ai\/instances\/([\w-]+)$/.exec(url)
    if (item && method === 'PATCH') {
      current = current.map((instance) => (instance.instanceId === item[1] ? { ...instance, ...(body as object) } : instance))
      return ok(current.find((instance) => instance.instanceId === item[1]))
    }
    return fail(404, 'Not found', 'not_found')
  })
  return { ...renderWithProviders(<AiSettingsRoute />), fetchMock }
}

const patches = (fetchMock: ReturnType<typeof stubFetch>) =>
  fetchMock.mock.calls.filter(([, init]) => init?.method === 'PATCH').map(([url, init]) => [url, JSON.parse(init?.body as string) as unknown])

describe('Configurações > IA', () => {
  it('shows the status, the month usage and each level explained', async () => {
    renderPage()
    expect(await screen.findByTestId('ai-status-badge')).toHaveTextContent('Ativa')
    expect(screen.getByText('Modelo gpt-4o-mini, com a chave da plataforma.')).toBeInTheDocument()
    expect(await screen.findByTestId('ai-usage-tokens')).toHaveTextContent('1.234')
    expect(screen.getByTestId('ai-usage-cost')).toHaveTextContent('0,0042')
    const card = await screen.findByTestId('ai-instance')
    expect(within(card).getByText('A IA só responde às mensagens.')).toBeInTheDocument()
    expect(within(card).getByText('Também marca tags gerenciadas pela IA e passa a conversa para um humano.')).toBeInTheDocument()
    expect(within(card).getByText('Também move negócios no funil e avisa a equipe de leads quentes.')).toBeInTheDocument()
    expect(within(card).getByTestId('ai-instance-prompt-link')).toHaveAttribute('href', '/settings/ai/inst-1/prompt')
    expect(within(card).getByTestId('ai-instance-onboarding-link')).toHaveAttribute('href', '/settings/ai/inst-1/onboarding')
  })

  it('turns the AI on, picks a level and saves the quiet window and fallback', async () => {
    const { user, fetchMock } = renderPage()
    const card = await screen.findByTestId('ai-instance')
    await user.click(within(card).getByTestId('ai-instance-enabled'))
    await waitFor(() => expect(screen.getByTestId('ai-instance')).toHaveAttribute('data-enabled', 'true'))
    await user.click(within(card).getByTestId('ai-level-1'))
    await waitFor(() => expect(within(card).getByTestId('ai-level-1')).toBeChecked())

    await user.clear(within(card).getByTestId('ai-instance-quiet'))
    await user.type(within(card).getByTestId('ai-instance-quiet'), '61')
    await user.click(within(card).getByTestId('ai-instance-save'))
    expect(await within(card).findByText('Use um número inteiro de 0 a 60')).toBeInTheDocument()

    await user.clear(within(card).getByTestId('ai-instance-quiet'))
    await user.type(within(card).getByTestId('ai-instance-quiet'), '0')
    await user.type(within(card).getByTestId('ai-instance-fallback'), 'Já te respondo!')
    await user.click(within(card).getByTestId('ai-instance-save'))
    await waitFor(() =>
      expect(patches(fetchMock)).toEqual([
        ['/api/ai/instances/inst-1', { enabled: true }],
        ['/api/ai/instances/inst-1', { autonomyLevel: 1 }],
        ['/api/ai/instances/inst-1', { quietWindowSeconds: 0, fallbackReply: 'Já te respondo!' }],
      ]),
    )
  })

  it('says why the AI is off and how to turn it on; admins can save the company key', async () => {
    const { user, fetchMock } = renderPage({ status: disabledStatus() })
    const notice = await screen.findByTestId('ai-disabled')
    expect(notice).toHaveTextContent('nenhuma chave de modelo está configurada')
    expect(notice).toHaveTextContent('Para ativar')
    await user.type(screen.getByTestId('ai-key-input'), 'sk-test-abcd')
    await user.click(screen.getByTestId('ai-key-save'))
    expect(await screen.findByTestId('ai-key-current')).toHaveTextContent('…abcd')
    const put = fetchMock.mock.calls.find(([, init]) => init?.method === 'PUT')
    expect(JSON.parse(put?.[1]?.body as string)).toEqual({ apiKey: 'sk-test-abcd' })
  })

  it('is read-only without the prompt permission, and hides the key form from non-admins', async () => {
    renderPage({ me: makeMe({ role: 'member', permissions: { ...allPermissions, canManagePrompt: false } }) })
    const card = await screen.findByTestId('ai-instance')
    expect(within(card).getByTestId('ai-instance-enabled')).toBeDisabled()
    expect(within(card).getByTestId('ai-level-2')).toBeDisabled()
    expect(within(card).queryByTestId('ai-instance-save')).not.toBeInTheDocument()
    expect(screen.queryByTestId('ai-key-form')).not.toBeInTheDocument()
    expect(screen.getByText('Somente administradores podem alterar a chave de IA da empresa.')).toBeInTheDocument()
  })
})
