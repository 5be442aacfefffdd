import { screen, waitFor, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { useAuthStore } from '@/lib/auth-store'
import { fail, json, ok, stubFetch } from '@/testing/fetch-mock'
import { makeMe } from '@/testing/fixtures'
import { renderWithProviders } from '@/testing/render'
import type { PromptVersion, PromptView } from '../api/types'
import { disabledStatus, enabledStatus, makeInstance, promptView } from '../test-fixtures'
import { PromptEditorPage } from './prompt-editor-page'

const version = (n: number, content: string, extra: Partial<PromptVersion> = {}): PromptVersion => ({
  version: n,
  content,
  source: 'manual',
  restoredFrom: null,
  createdAt: '2030-01-01T12:00:00Z',
  createdBy: 'ana@example.com',
  ...extra,
})

function renderEditor(initial: PromptView, status = enabledStatus()) {
  useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
  let view = initial
  const add = (content: string, extra: Partial<PromptVersion> = {}) => {
    const next = version((view.current?.version ?? 0) + 1, content, extra)
    view = { ...view, current: next, versions: [next, ...view.versions] }
    return json(201, { success: true, data: view })
  }
  const fetchMock = stubFetch(({ url, method, body }) => {
    if (url === '/api/auth/me') return ok(makeMe())
    if (url === '/api/ai/status') return ok(status)
    if (url === '/api/ai/instances/inst-1') return ok(makeInstance())
    if (url === '/api/ai/instances') return ok([makeInstance()])
    if (url === '/api/ai/instances/inst-1/prompt' && method === 'GET') return ok(view)
    if (url === '/api/ai/instances/inst-1/prompt' && method === 'POST') return add((body as { content: string }).content)
    const restore = /prompt\/versions\/(\d+)\/restore$/.exec(url)
    if (restore) {
      const old = view.versions.find((item) => item.version === Number(restore[1]))!
      return add(old.content, { source: 'restored', restoredFrom: old.version })
    }
    if (url === '/api/ai/instances/inst-1/preview') {
      return ok({
        reply: 'Oi! Já anotei.',
        parts: ['Oi!', 'Já anotei.'],
        fallback: false,
        actions: [{ tool: 'add_tag', arguments: { tag: 'Interessado' }, reason: 'o cliente falou de Interessado', level: 1, status: 'simulated', detail: 'pré-visualização: nada foi alterado' }],
        model: 'sandbox',
        autonomyLevel: 1,
      })
    }
    return fail(404, 'Not found', 'not_found')
  })
  return { ...renderWithProviders(<PromptEditorPage instanceId="inst-1" />), fetchMock }
}

const bodiesTo = (fetchMock: ReturnType<typeof stubFetch>, suffix: string) =>
  fetchMock.mock.calls
    .filter(([url, init]) => typeof url === 'string' && url.endsWith(suffix) && init?.method === 'POST')
    .map(([, init]) => (init?.body ? (JSON.parse(init.body as string) as unknown) : undefined))

describe('Prompt editor', () => {
  it('starts from the effective prompt when no version exists and saves version 1', async () => {
    const { user, fetchMock } = renderEditor(promptView())
    const textarea = await screen.findByTestId('ai-prompt-textarea')
    expect(textarea).toHaveValue('Você é o assistente da Loja Alfa.')
    expect(screen.getByTestId('ai-prompt-effective')).toBeInTheDocument()
    expect(screen.getByTestId('ai-prompt-versions-empty')).toBeInTheDocument()
    await user.type(textarea, ' Seja breve.')
    await user.click(screen.getByTestId('ai-prompt-save'))
    expect(await screen.findByTestId('ai-prompt-versions')).toHaveTextContent('Versão 1')
    expect(bodiesTo(fetchMock, '/prompt')).toEqual([{ content: 'Você é o assistente da Loja Alfa. Seja breve.' }])
    expect(screen.getByTestId('ai-prompt-textarea')).toHaveValue('Você é o assistente da Loja Alfa. Seja breve.')
  })

  it('restores an older version as a new one', async () => {
    const v1 = version(1, 'Primeiro prompt')
    const v2 = version(2, 'Segundo prompt')
    const { user } = renderEditor(promptView({ current: v2, versions: [v2, v1] }))
    expect(await screen.findByTestId('ai-prompt-textarea')).toHaveValue('Segundo prompt')
    const rows = screen.getAllByTestId('ai-prompt-version')
    expect(within(rows[0]).queryByTestId('ai-prompt-restore')).not.toBeInTheDocument()
    await user.click(within(rows[1]).getByTestId('ai-prompt-restore'))
    await waitFor(() => expect(screen.getAllByTestId('ai-prompt-version')).toHaveLength(3))
    expect(screen.getAllByTestId('ai-prompt-version')[0]).toHaveTextContent('restaurado (v1)')
    expect(screen.getByTestId('ai-prompt-textarea')).toHaveValue('Primeiro prompt')
  })

  it('tests the unsaved draft and shows the reply parts and the simulated actions', async () => {
    const v1 = version(1, 'Prompt salvo')
    const { user, fetchMock } = renderEditor(promptView({ current: v1, versions: [v1] }))
    const textarea = await screen.findByTestId('ai-prompt-textarea')
    await user.clear(textarea)
    await user.type(textarea, 'Rascunho novo')
    expect(screen.getByTestId('ai-preview-use-draft')).toBeChecked()
    await user.type(screen.getByTestId('ai-preview-input'), 'Sou Interessado')
    await user.click(screen.getByTestId('ai-preview-submit'))
    const parts = await screen.findAllByTestId('ai-preview-part')
    expect(parts.map((part) => part.textContent)).toEqual(['Oi!', 'Já anotei.'])
    const action = within(screen.getByTestId('ai-preview-result')).getByTestId('ai-action')
    expect(action).toHaveTextContent('Adicionar tag: Interessado')
    expect(action).toHaveTextContent('simulado')
    expect(action).toHaveTextContent('Motivo: o cliente falou de Interessado')
    expect(bodiesTo(fetchMock, '/preview')).toEqual([{ message: 'Sou Interessado', prompt: 'Rascunho novo' }])
  })

  it('says the AI is off, and why, without breaking the editor', async () => {
    renderEditor(promptView(), disabledStatus())
    expect(await screen.findByTestId('ai-disabled')).toHaveTextContent('nenhuma chave de modelo')
    expect(await screen.findByTestId('ai-prompt-textarea')).toBeInTheDocument()
  })
})
