import { QueryClientProvider } from '@tanstack/react-query'
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter, Route, Routes, useLocation, useParams } from 'react-router'
import { describe, expect, it } from 'vitest'
import { useAuthStore } from '@/lib/auth-store'
import { createQueryClient } from '@/lib/query-client'
import { bearerOf, fail, json, ok, stubFetch, type FetchHandler } from '@/testing/fetch-mock'
import { makeMe, makeMeWithoutCompany } from '@/testing/fixtures'
import type { InvitationPreview } from '../api/invitation'
import { InvitationPage } from './invitation-page'

const TOKEN = 'tok123'
const preview = (overrides: Partial<InvitationPreview> = {}): InvitationPreview => ({
  email: 'ana@example.com',
  companyName: 'Clínica Gama',
  role: 'member',
  invitedBy: 'Carlos Dono',
  expiresAt: '2030-01-08T12:00:00Z',
  ...overrides,
})

function InviteAt() {
  return <InvitationPage token={useParams().token ?? ''} />
}

function Where({ name }: { name: string }) {
  const location = useLocation()
  return <p>{`${name} ${location.search}`.trim()}</p>
}

function renderInvite(handler: FetchHandler) {
  const fetchMock = stubFetch(handler)
  const queryClient = createQueryClient()
  queryClient.setDefaultOptions({ queries: { retry: false, staleTime: Infinity } })
  const user = userEvent.setup()
  render(
    <QueryClientProvider client={queryClient}>
      <MemoryRouter initialEntries={[`/invite/${TOKEN}`]}>
        <Routes>
          <Route path="/invite/:token" element={<InviteAt />} />
          <Route path="/" element={<Where name="dashboard" />} />
          <Route path="/login" element={<Where name="login page" />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  )
  return { user, fetchMock }
}

const callsTo = (fetchMock: ReturnType<typeof stubFetch>, path: string) =>
  fetchMock.mock.calls.filter(([url]) => url === path)

describe('InvitationPage', () => {
  it('explains an invalid or expired link and points to the login page', async () => {
    renderInvite(() => fail(404, 'Convite inválido ou expirado', 'not_found'))

    expect(await screen.findByRole('heading', { name: 'Convite indisponível' })).toBeVisible()
    expect(screen.getByTestId('invite-invalid')).toHaveTextContent(/expirou/)
    expect(screen.getByRole('link', { name: 'Ir para o login' })).toHaveAttribute('href', '/login')
  })

  it('signed out without an account: creates it, stores the session and opens the dashboard', async () => {
    const { user, fetchMock } = renderInvite(({ url, method, body }) => {
      if (url === `/api/invitations/${TOKEN}` && method === 'GET') return ok(preview())
      if (url === `/api/invitations/${TOKEN}/accept` && method === 'POST') {
        const { fullName } = body as { fullName: string }
        return json(201, {
          success: true,
          data: {
            user: { id: 'u9', email: 'ana@example.com', fullName, companyId: 'company-g' },
            company: { id: 'company-g', name: 'Clínica Gama' },
            accessToken: 'access-new',
            refreshToken: 'refresh-new',
            expiresIn: 900,
            companyId: 'company-g',
          },
        })
      }
      return fail(404, 'Not found', 'not_found')
    })

    const form = await screen.findByTestId('invite-signup-form')
    expect(screen.getByTestId('invite-summary')).toHaveTextContent('Clínica Gama')
    expect(screen.getByTestId('invite-summary')).toHaveTextContent('Carlos Dono')
    expect(screen.getByTestId('invite-summary')).toHaveTextContent('Membro')

    await user.type(within(form).getByLabelText('Nome completo'), ' Ana Nova ')
    await user.type(within(form).getByLabelText('Senha'), 'segredo123')
    await user.type(within(form).getByLabelText('Confirme a senha'), 'segredo124')
    await user.click(screen.getByTestId('invite-signup-submit'))
    expect(within(form).getByLabelText('Confirme a senha')).toHaveAccessibleDescription('As senhas não coincidem')
    expect(callsTo(fetchMock, `/api/invitations/${TOKEN}/accept`)).toHaveLength(0)

    await user.clear(within(form).getByLabelText('Confirme a senha'))
    await user.type(within(form).getByLabelText('Confirme a senha'), 'segredo123')
    await user.click(screen.getByTestId('invite-signup-submit'))

    expect(await screen.findByText('dashboard')).toBeInTheDocument()
    const [[, init]] = callsTo(fetchMock, `/api/invitations/${TOKEN}/accept`)
    expect(JSON.parse(init?.body as string)).toEqual({ fullName: 'Ana Nova', password: 'segredo123' })
    expect(bearerOf(init)).toBeUndefined()
    expect(useAuthStore.getState()).toMatchObject({ accessToken: 'access-new', refreshToken: 'refresh-new' })
  })

  it('signed out: next to the sign-up form, offers logging in and coming back here', async () => {
    renderInvite(() => ok(preview()))

    expect(await screen.findByTestId('invite-signup-form')).toBeVisible()
    const login = screen.getByTestId('invite-login')
    expect(login).toHaveTextContent('Já tenho conta — entrar para aceitar')
    expect(login).toHaveAttribute('href', `/login?next=${encodeURIComponent(`/invite/${TOKEN}`)}`)
  })

  it('signed out, the e-mail already has an account: shows the 409 and puts logging in first', async () => {
    const message = 'Já existe uma conta com este e-mail; entre para aceitar o convite'
    const { user, fetchMock } = renderInvite(({ url, method }) => {
      if (url === `/api/invitations/${TOKEN}` && method === 'GET') return ok(preview())
      if (url === `/api/invitations/${TOKEN}/accept`) return fail(409, message, 'conflict')
      return fail(404, 'Not found', 'not_found')
    })

    const form = await screen.findByTestId('invite-signup-form')
    await user.type(within(form).getByLabelText('Nome completo'), 'Ana Lima')
    await user.type(within(form).getByLabelText('Senha'), 'segredo123')
    await user.type(within(form).getByLabelText('Confirme a senha'), 'segredo123')
    await user.click(screen.getByTestId('invite-signup-submit'))

    const conflict = await screen.findByTestId('invite-account-exists')
    expect(conflict).toHaveTextContent(message)
    const login = within(conflict).getByRole('link', { name: 'Entrar para aceitar' })
    expect(login).toHaveAttribute('data-testid', 'invite-login')
    expect(login).toHaveAttribute('href', `/login?next=${encodeURIComponent(`/invite/${TOKEN}`)}`)
    expect(screen.queryByTestId('invite-signup-form')).not.toBeInTheDocument()
    expect(screen.getAllByTestId('invite-login')).toHaveLength(1)
    expect(callsTo(fetchMock, `/api/invitations/${TOKEN}/accept`)).toHaveLength(1)
    expect(useAuthStore.getState().accessToken).toBeNull()
  })

  it('signed in without any company: accepts, switches to the new company and opens the dashboard', async () => {
    useAuthStore.getState().setTokens({ accessToken: 'token-none', refreshToken: 'refresh-none' })
    const { user, fetchMock } = renderInvite(({ url, method, body }) => {
      if (url === `/api/invitations/${TOKEN}` && method === 'GET') return ok(preview())
      if (url === '/api/auth/me') return ok(makeMeWithoutCompany())
      if (url === `/api/invitations/${TOKEN}/accept`) return ok({ company: { id: 'company-g', name: 'Clínica Gama' }, role: 'member' })
      if (url === '/api/auth/switch-company') {
        const { companyId } = body as { companyId: string }
        return ok({ accessToken: 'token-g', refreshToken: 'refresh-g', expiresIn: 900, companyId })
      }
      return fail(404, 'Not found', 'not_found')
    })

    await user.click(await screen.findByTestId('invite-accept'))

    expect(await screen.findByText('dashboard')).toBeInTheDocument()
    expect(bearerOf(callsTo(fetchMock, `/api/invitations/${TOKEN}/accept`)[0][1])).toBe('Bearer token-none')
    expect(useAuthStore.getState()).toMatchObject({ accessToken: 'token-g', refreshToken: 'refresh-g' })
  })

  it('signed in as the invited e-mail: accepts, switches to the new company and opens the dashboard', async () => {
    useAuthStore.getState().setTokens({ accessToken: 'token-a', refreshToken: 'refresh-a' })
    const { user, fetchMock } = renderInvite(({ url, method, body }) => {
      if (url === `/api/invitations/${TOKEN}` && method === 'GET') return ok(preview({ email: 'Ana@Example.com' }))
      if (url === '/api/auth/me') return ok(makeMe())
      if (url === `/api/invitations/${TOKEN}/accept`) return ok({ company: { id: 'company-g', name: 'Clínica Gama' }, role: 'member' })
      if (url === '/api/auth/switch-company') {
        const { companyId } = body as { companyId: string }
        return ok({ accessToken: 'token-g', refreshToken: 'refresh-g', expiresIn: 900, companyId })
      }
      return fail(404, 'Not found', 'not_found')
    })

    expect(await screen.findByText('Você está conectado como ana@example.com.')).toBeVisible()
    await user.click(screen.getByTestId('invite-accept'))

    expect(await screen.findByText('dashboard')).toBeInTheDocument()
    const [[, acceptInit]] = callsTo(fetchMock, `/api/invitations/${TOKEN}/accept`)
    expect(bearerOf(acceptInit)).toBe('Bearer token-a')
    expect(JSON.parse(acceptInit?.body as string)).toEqual({})
    const [[, switchInit]] = callsTo(fetchMock, '/api/auth/switch-company')
    expect(JSON.parse(switchInit?.body as string)).toEqual({ companyId: 'company-g' })
    expect(useAuthStore.getState().accessToken).toBe('token-g')
  })

  it('signed in as the invited e-mail: shows a refusal and stays', async () => {
    useAuthStore.getState().setTokens({ accessToken: 'token-a', refreshToken: 'refresh-a' })
    const { user } = renderInvite(({ url, method }) => {
      if (url === `/api/invitations/${TOKEN}` && method === 'GET') return ok(preview())
      if (url === '/api/auth/me') return ok(makeMe())
      if (url === `/api/invitations/${TOKEN}/accept`) return fail(409, 'Você já faz parte desta empresa', 'conflict')
      return fail(404, 'Not found', 'not_found')
    })

    await user.click(await screen.findByTestId('invite-accept'))
    expect(await screen.findByText('Você já faz parte desta empresa')).toBeVisible()
    expect(screen.getByTestId('invite-accept')).toBeEnabled()
  })

  it('signed in as someone else: names both e-mails; signing out offers the sign-up form and logging in', async () => {
    useAuthStore.getState().setTokens({ accessToken: 'token-a', refreshToken: 'refresh-a' })
    const { user, fetchMock } = renderInvite(({ url, method }) => {
      if (url === `/api/invitations/${TOKEN}` && method === 'GET') return ok(preview({ email: 'bruno@example.com' }))
      if (url === '/api/auth/me') return ok(makeMe())
      if (url === '/api/auth/logout') return ok(null)
      return fail(404, 'Not found', 'not_found')
    })

    const mismatch = await screen.findByTestId('invite-mismatch')
    expect(mismatch).toHaveTextContent('bruno@example.com')
    expect(mismatch).toHaveTextContent('ana@example.com')
    expect(screen.queryByTestId('invite-accept')).not.toBeInTheDocument()

    await user.click(screen.getByRole('button', { name: 'Sair e entrar com outra conta' }))

    expect(await screen.findByTestId('invite-signup-form')).toBeVisible()
    expect(screen.getByTestId('invite-login')).toHaveAttribute('href', `/login?next=${encodeURIComponent(`/invite/${TOKEN}`)}`)
    expect(callsTo(fetchMock, '/api/auth/logout')).toHaveLength(1)
    await waitFor(() => expect(useAuthStore.getState().accessToken).toBeNull())
  })
})
