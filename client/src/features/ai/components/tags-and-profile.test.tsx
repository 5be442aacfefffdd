import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { ManageTagsDialog } from '@/features/contacts/components/manage-tags-dialog'
import { makeTag, vip } from '@/features/contacts/test-fixtures'
import { useAuthStore } from '@/lib/auth-store'
import { fail, json, ok, stubFetch } from '@/testing/fetch-mock'
import { renderWithProviders } from '@/testing/render'
import { ContactAiProfileCard } from './contact-ai-profile-card'

const sent = (fetchMock: ReturnType<typeof stubFetch>, method: string, url: string) =>
  fetchMock.mock.calls.filter(([called, init]) => called === url && init?.method === method).map(([, init]) => JSON.parse(init?.body as string) as unknown)

describe('AI-managed tags', () => {
  it('creates a tag the AI may add, and turns it on for an existing one', async () => {
    useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
    const fetchMock = stubFetch(({ url, method, body }) => {
      if (url === '/api/contacts/tags/list') return ok([vip])
      if (url === '/api/contacts/tags' && method === 'POST') return json(201, { success: true, data: makeTag({ id: 'tag-new', ...(body as object) }) })
      if (url === `/api/contacts/tags/${vip.id}` && method === 'PUT') return ok({ ...vip, ...(body as object) })
      return fail(404, 'Not found', 'not_found')
    })
    const { user } = renderWithProviders(<ManageTagsDialog />)
    await user.click(screen.getByTestId('contacts-manage-tags'))
    await screen.findByTestId('tag-row')

    const form = screen.getByTestId('tags-new-form')
    expect(form).toHaveTextContent('A IA pode adicionar esta tag sozinha (autonomia nível 1 ou 2).')
    await user.type(screen.getByTestId('tags-new-name'), 'Interessado')
    await user.click(within(form).getByLabelText('Gerenciada pela IA'))
    await user.click(screen.getByTestId('tags-new-submit'))
    await waitFor(() => expect(screen.getByTestId('tags-new-ai-managed')).not.toBeChecked())
    expect(sent(fetchMock, 'POST', '/api/contacts/tags')).toEqual([{ name: 'Interessado', color: expect.any(String) as string, isAiManaged: true }])

    await user.click(screen.getByTestId('tag-edit'))
    expect(screen.getByTestId('tag-edit-ai-managed')).not.toBeChecked()
    await user.click(screen.getByTestId('tag-edit-ai-managed'))
    await user.click(screen.getByTestId('tag-edit-save'))
    await waitFor(() => expect(sent(fetchMock, 'PUT', `/api/contacts/tags/${vip.id}`)).toEqual([{ name: vip.name, color: vip.color, isAiManaged: true }]))
  })
})

describe('Perfil pela IA', () => {
  it('shows what the analyses learnt about the contact, and nothing before the first', () => {
    const { rerender } = renderWithProviders(
      <ContactAiProfileCard
        profile={{
          sentiment: 'mixed',
          urgency: 'low',
          summary: 'Quer trocar o plano mensal pelo anual.',
          interests: ['plano anual'],
          preferences: ['contato à tarde'],
          keyFacts: ['cliente desde 2028'],
          communicationStyle: 'direto e informal',
          updatedAt: '2030-01-02T10:00:00Z',
        }}
      />,
    )
    const card = screen.getByTestId('contact-ai-profile')
    expect(card).toHaveTextContent('Perfil pela IA')
    expect(screen.getByTestId('contact-ai-sentiment')).toHaveTextContent('Sentimento: misto')
    expect(screen.getByTestId('contact-ai-urgency')).toHaveTextContent('Urgência: baixa')
    expect(screen.getByTestId('contact-ai-summary')).toHaveTextContent('Quer trocar o plano mensal pelo anual.')
    expect(screen.getByTestId('contact-ai-interests')).toHaveTextContent('plano anual')
    expect(card).toHaveTextContent('contato à tarde')
    expect(card).toHaveTextContent('cliente desde 2028')
    expect(card).toHaveTextContent('direto e informal')

    rerender(<ContactAiProfileCard profile={null} />)
    expect(screen.queryByTestId('contact-ai-profile')).not.toBeInTheDocument()
  })
})
