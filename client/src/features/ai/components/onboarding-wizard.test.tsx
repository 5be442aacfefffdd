import { screen, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { useAuthStore } from '@/lib/auth-store'
import { fail, json, ok, stubFetch } from '@/testing/fetch-mock'
import { makeMe } from '@/testing/fixtures'
import { renderWithProviders } from '@/testing/render'
import type { Onboarding } from '../api/types'
import { enabledStatus, makeInstance, makeOnboarding, promptView } from '../test-fixtures'
import { OnboardingWizardPage } from './onboarding-wizard'

function renderWizard(initial: Onboarding) {
  useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
  let saved = initial
  const fetchMock = stubFetch(({ url, method, body }) => {
    if (url === '/api/auth/me') return ok(makeMe())
    if (url === '/api/ai/status') return ok(enabledStatus())
    if (url === '/api/ai/instances/inst-1') return ok(makeInstance())
    if (url === '/api/ai/instances') return ok([makeInstance()])
    if (url === '/api/ai/onboarding/inst-1' && method === 'GET') return ok(saved)
    if (url === '/api/ai/onboarding/inst-1' && method === 'POST') {
      saved = { ...saved, ...(body as Partial<Onboarding>) }
      return ok(saved)
    }
    if (url === '/api/ai/onboarding/generate') return ok({ generatedPrompt: 'Você é o assistente da Loja Beta.', promptLength: 33, estimatedTokens: 8 })
    if (url === '/api/ai/instances/inst-1/prompt' && method === 'POST') return json(201, { success: true, data: promptView() })
    return fail(404, 'Not found', 'not_found')
  })
  return { ...renderWithProviders(<OnboardingWizardPage instanceId="inst-1" />), fetchMock }
}

const posts = (fetchMock: ReturnType<typeof stubFetch>, url: string) =>
  fetchMock.mock.calls
    .filter(([called, init]) => called === url && init?.method === 'POST')
    .map(([, init]) => JSON.parse(init?.body as string) as unknown)

describe('AI onboarding wizard', () => {
  it('saves each step on "Próximo" and finishes by using the generated prompt', async () => {
    const { user, fetchMock } = renderWizard(makeOnboarding())
    await user.type(await screen.findByTestId('ai-onboarding-business-name'), 'Loja Beta')
    await user.click(screen.getByTestId('ai-onboarding-next'))
    await waitFor(() => expect(screen.getByTestId('ai-onboarding')).toHaveAttribute('data-step', '1'))
    await user.selectOptions(screen.getByTestId('ai-onboarding-tone'), 'casual')
    await user.click(screen.getByTestId('ai-onboarding-next'))
    await waitFor(() => expect(screen.getByTestId('ai-onboarding')).toHaveAttribute('data-step', '2'))
    await user.type(screen.getByTestId('ai-onboarding-products'), 'Camisetas{Enter}{Enter}Bonés')
    await user.click(screen.getByTestId('ai-onboarding-next'))
    await waitFor(() => expect(screen.getByTestId('ai-onboarding')).toHaveAttribute('data-step', '3'))
    await user.click(screen.getByTestId('ai-onboarding-faq-add'))
    await user.click(screen.getByTestId('ai-onboarding-faq-add'))
    await user.type(screen.getAllByTestId('ai-onboarding-faq-question')[0], 'Entregam?')
    await user.type(screen.getAllByTestId('ai-onboarding-faq-answer')[0], 'Sim, em todo o Brasil.')
    await user.click(screen.getAllByTestId('ai-onboarding-faq-remove')[1])
    expect(screen.getAllByTestId('ai-onboarding-faq-item')).toHaveLength(1)
    await user.click(screen.getByTestId('ai-onboarding-next'))
    await waitFor(() => expect(screen.getByTestId('ai-onboarding')).toHaveAttribute('data-step', '4'))
    await user.click(screen.getByTestId('ai-onboarding-day-6'))
    await user.click(screen.getByTestId('ai-onboarding-next'))
    await waitFor(() => expect(screen.getByTestId('ai-onboarding')).toHaveAttribute('data-step', '5'))
    expect(screen.getByTestId('ai-onboarding-summary')).toHaveTextContent('Loja Beta')

    await user.click(screen.getByTestId('ai-onboarding-generate'))
    expect(await screen.findByTestId('ai-onboarding-prompt')).toHaveValue('Você é o assistente da Loja Beta.')
    await user.click(screen.getByTestId('ai-onboarding-use'))

    await waitFor(() =>
      expect(posts(fetchMock, '/api/ai/instances/inst-1/prompt')).toEqual([{ content: 'Você é o assistente da Loja Beta.', source: 'generated' }]),
    )
    await waitFor(() =>
      expect(posts(fetchMock, '/api/ai/onboarding/inst-1')).toEqual([
        { businessName: 'Loja Beta', businessType: null, businessDescription: null, currentStep: 1 },
        { targetAudience: null, tone: 'casual', currentStep: 2 },
        { mainProducts: ['Camisetas', 'Bonés'], promotions: null, currentStep: 3 },
        { faq: [{ question: 'Entregam?', answer: 'Sim, em todo o Brasil.' }], currentStep: 4 },
        {
          restrictions: [],
          workingHours: { start: '09:00', end: '18:00', timezone: 'America/Sao_Paulo', workDays: [1, 2, 3, 4, 5, 6] },
          currentStep: 5,
        },
        { currentStep: 5, isComplete: true },
      ]),
    )
    expect(posts(fetchMock, '/api/ai/onboarding/generate')).toEqual([{ instanceId: 'inst-1' }])
  }, 20_000) // six steps of typing: slow when the whole suite runs in parallel

  it('resumes at the saved step with the saved answers', async () => {
    renderWizard(makeOnboarding({ currentStep: 2, businessName: 'Loja Beta', mainProducts: ['Camisetas', 'Bonés'] }))
    expect(await screen.findByTestId('ai-onboarding')).toHaveAttribute('data-step', '2')
    expect(screen.getByTestId('ai-onboarding-products')).toHaveValue('Camisetas\nBonés')
  })
})
