import { screen, waitFor, within } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { useAuthStore } from '@/lib/auth-store'
import { fail, json, stubFetch } from '@/testing/fetch-mock'
import { allPermissions } from '@/testing/fixtures'
import { renderWithProviders } from '@/testing/render'
import type { Inviter } from '../validation'
import { InviteMemberDialog } from './invite-member-dialog'

const admin: Inviter = { isAdmin: true, permissions: allPermissions }
const INVITE_URL = 'http://app.test/invite/tok-abc123'

const created = (body: Record<string, unknown>) =>
  json(201, {
    success: true,
    data: {
      id: 'inv-1',
      permissions: allPermissions,
      invitedBy: { id: 'user-1', fullName: 'Ana Lima' },
      expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      createdAt: new Date().toISOString(),
      token: 'tok-abc123',
      inviteUrl: INVITE_URL,
      ...body,
    },
  })

async function openForm(inviter: Inviter = admin) {
  useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
  const view = renderWithProviders(<InviteMemberDialog inviter={inviter} companyName="Loja Alfa" />)
  await view.user.click(screen.getByTestId('team-invite-member'))
  const dialog = await screen.findByRole('dialog')
  return { ...view, dialog }
}

async function invite(email = 'joao@example.com') {
  const view = await openForm()
  await view.user.type(within(view.dialog).getByLabelText('E-mail'), ` ${email} `)
  await view.user.click(within(view.dialog).getByTestId('invite-form-submit'))
  const link = await within(view.dialog).findByTestId('invite-link')
  return { ...view, link }
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('InviteMemberDialog', () => {
  it('validates on the client and sends nothing while the form is invalid', async () => {
    const fetchMock = stubFetch(() => fail(500, 'unexpected', 'internal_error'))
    const { user, dialog } = await openForm()

    await user.click(within(dialog).getByTestId('invite-form-submit'))
    expect(within(dialog).getByLabelText('E-mail')).toHaveAccessibleDescription('Campo obrigatório')
    await user.type(within(dialog).getByLabelText('E-mail'), 'joao@')
    await user.click(within(dialog).getByTestId('invite-form-submit'))
    expect(within(dialog).getByLabelText('E-mail')).toHaveAccessibleDescription('Informe um e-mail válido')
    expect(fetchMock).not.toHaveBeenCalled()
  })

  it('sends email, role and permissions, then shows the link once with copy and WhatsApp', async () => {
    const fetchMock = stubFetch(({ body }) => created(body as Record<string, unknown>))
    const { user, dialog } = await openForm()
    await user.type(within(dialog).getByLabelText('E-mail'), ' joao@example.com ')
    await user.selectOptions(within(dialog).getByLabelText('Função'), 'coordinator')
    // The coordinator defaults are ticked; untick one and grant reports explicitly.
    expect(within(dialog).getByLabelText('Gerenciar WhatsApp')).toBeChecked()
    await user.click(within(dialog).getByLabelText('Gerenciar WhatsApp'))
    await user.click(within(dialog).getByTestId('invite-form-submit'))

    const link = await within(dialog).findByTestId('invite-link')
    expect(link).toHaveValue(INVITE_URL)
    expect(link).toHaveAttribute('readonly')
    expect(within(dialog).getByText('Convite criado')).toBeVisible()
    expect(within(dialog).getByText(/não será exibido novamente/)).toBeVisible()
    expect(within(dialog).getByText(/expira em 7 dias/)).toBeVisible()

    const [url, init] = fetchMock.mock.calls[0]
    expect(url).toBe('/api/company/invitations')
    expect(init?.method).toBe('POST')
    expect(JSON.parse(init?.body as string)).toEqual({
      email: 'joao@example.com',
      role: 'coordinator',
      permissions: {
        canManageUsers: false,
        canManageWhatsApp: false,
        canViewReports: true,
        canManageFlows: true,
        canManageContacts: true,
        canManagePrompt: true,
      },
    })

    const whatsapp = within(dialog).getByTestId('invite-whatsapp')
    const href = new URL(whatsapp.getAttribute('href') ?? '')
    expect(href.origin + href.pathname).toBe('https://wa.me/')
    expect(href.searchParams.get('text')).toContain(INVITE_URL)
    expect(href.searchParams.get('text')).toContain('Loja Alfa')
    expect(whatsapp).toHaveAttribute('rel', 'noopener noreferrer')
  })

  it('copies the link with the clipboard API', async () => {
    stubFetch(({ body }) => created(body as Record<string, unknown>))
    const { user, dialog } = await invite()
    const writeText = vi.spyOn(navigator.clipboard, 'writeText')

    await user.click(within(dialog).getByTestId('invite-link-copy'))

    expect(writeText).toHaveBeenCalledWith(INVITE_URL)
    expect(await navigator.clipboard.readText()).toBe(INVITE_URL)
    expect(within(dialog).getByTestId('invite-link-copy')).toHaveTextContent('Link copiado')
  })

  it('selects the text when the clipboard API is refused', async () => {
    stubFetch(({ body }) => created(body as Record<string, unknown>))
    const { user, dialog, link } = await invite()
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValue(new DOMException('denied', 'NotAllowedError'))

    await user.click(within(dialog).getByTestId('invite-link-copy'))

    const input = link as HTMLInputElement
    await waitFor(() => expect(within(dialog).getByText(/copie com Ctrl\+C/)).toBeVisible())
    expect(input).toHaveFocus()
    expect([input.selectionStart, input.selectionEnd]).toEqual([0, INVITE_URL.length])
  })

  it('keeps the form and shows the 409 message (already a member or invited)', async () => {
    stubFetch(() => fail(409, 'joao@example.com já tem um convite pendente; revogue-o para gerar outro link', 'conflict'))
    const { user, dialog } = await openForm()
    await user.type(within(dialog).getByLabelText('E-mail'), 'joao@example.com')
    await user.click(within(dialog).getByTestId('invite-form-submit'))

    expect(await within(dialog).findByText(/já tem um convite pendente/)).toBeVisible()
    expect(within(dialog).queryByTestId('invite-link')).not.toBeInTheDocument()
  })

  it('forgets the link when closed', async () => {
    stubFetch(({ body }) => created(body as Record<string, unknown>))
    const { user, dialog } = await invite()
    await user.click(within(dialog).getByTestId('invite-done'))
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument())

    await user.click(screen.getByTestId('team-invite-member'))
    const reopened = await screen.findByRole('dialog')
    expect(within(reopened).queryByTestId('invite-link')).not.toBeInTheDocument()
    expect(within(reopened).getByLabelText('E-mail')).toHaveValue('')
  })

  it('offers a non-admin manager only what they may grant', async () => {
    stubFetch(() => fail(500, 'unexpected', 'internal_error'))
    const manager: Inviter = { isAdmin: false, permissions: { ...allPermissions, canManageWhatsApp: false } }
    const { dialog } = await openForm(manager)

    const roles = within(within(dialog).getByLabelText('Função')).getAllByRole('option')
    expect(roles.map((option) => option.getAttribute('value'))).toEqual(['coordinator', 'member'])
    expect(within(dialog).getByLabelText('Gerenciar usuários')).toBeDisabled()
    expect(within(dialog).getByLabelText('Gerenciar WhatsApp')).toBeDisabled()
    expect(within(dialog).getByLabelText('Gerenciar contatos')).toBeEnabled()
  })
})
