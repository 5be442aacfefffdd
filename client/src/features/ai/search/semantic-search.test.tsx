import { screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { useAuthStore } from '@/lib/auth-store'
import { fail, ok, stubFetch } from '@/testing/fetch-mock'
import { renderWithProviders } from '@/testing/render'
import type { SearchResult } from '../api/search'
import { SemanticSearch } from './semantic-search'

const results: SearchResult[] = [
  {
    sourceType: 'message',
    sourceId: 'msg-1',
    conversationId: 'conv-9',
    contactId: 'contact-9',
    instanceId: 'inst-1',
    content: 'O pedido ainda não chegou, já faz 10 dias',
    score: 0.873,
    createdAt: '2030-01-03T10:00:00Z',
  },
  {
    sourceType: 'faq',
    sourceId: 'faq-1',
    conversationId: null,
    contactId: null,
    instanceId: 'inst-1',
    content: 'Qual o prazo de entrega? Até 7 dias úteis.',
    score: 0.61,
    createdAt: '2030-01-01T10:00:00Z',
  },
]

function renderSearch(answer: (q: string) => Response) {
  useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
  const fetchMock = stubFetch(({ url }) => {
    const parsed = new URL(url, 'http://localhost')
    if (parsed.pathname === '/api/ai/search') return answer(parsed.searchParams.get('q') ?? '')
    return fail(404, 'Not found', 'not_found')
  })
  return { ...renderWithProviders(<SemanticSearch />), fetchMock }
}

describe('Busca semântica', () => {
  it('lists the closest passages with type, similarity and links to the conversation or the contact', async () => {
    const { user, fetchMock } = renderSearch(() => ok({ results, model: 'text-embedding-3-small' }))
    expect(screen.getByTestId('ai-search-submit')).toBeDisabled()
    await user.type(screen.getByTestId('ai-search-input'), 'atraso na entrega{Enter}')
    const items = await screen.findAllByTestId('ai-search-result')
    expect(fetchMock.mock.calls[0][0]).toBe('/api/ai/search?limit=10&q=atraso+na+entrega')

    expect(within(items[0]).getByTestId('ai-search-result-type')).toHaveTextContent('Mensagem')
    expect(within(items[0]).getByTestId('ai-search-result-score')).toHaveTextContent('semelhança 87%')
    expect(items[0]).toHaveTextContent('O pedido ainda não chegou')
    expect(within(items[0]).getByTestId('ai-search-result-conversation')).toHaveAttribute('href', '/inbox/conv-9')
    expect(within(items[0]).getByTestId('ai-search-result-contact')).toHaveAttribute('href', '/contacts/contact-9')

    expect(within(items[1]).getByTestId('ai-search-result-type')).toHaveTextContent('FAQ')
    expect(within(items[1]).queryByRole('link')).not.toBeInTheDocument()
    expect(screen.getByText('Modelo de embeddings: text-embedding-3-small')).toBeInTheDocument()
  })

  it('says when nothing is close, and explains an AI that is off', async () => {
    const { user } = renderSearch((q) =>
      q === 'nada' ? ok({ results: [], model: 'm' }) : fail(422, 'A memória semântica está desativada nesta plataforma.', 'ai_disabled'),
    )
    await user.type(screen.getByTestId('ai-search-input'), 'nada{Enter}')
    expect(await screen.findByTestId('ai-search-empty')).toHaveTextContent('Nada parecido encontrado.')
    await user.clear(screen.getByTestId('ai-search-input'))
    await user.type(screen.getByTestId('ai-search-input'), 'outra{Enter}')
    const notice = await screen.findByTestId('ai-disabled')
    expect(notice).toHaveTextContent('A memória semântica está desativada nesta plataforma.')
    expect(notice).toHaveTextContent('Para ativar')
  })
})
