import { screen, waitFor, within } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { useAuthStore } from '@/lib/auth-store'
import { fail, json, ok, stubFetch } from '@/testing/fetch-mock'
import { renderWithProviders } from '@/testing/render'
import { makeRule } from '../test-fixtures'
import { RulesTab } from './rules-tab'

const funnels = [
  {
    id: 'funnel-1',
    name: 'Vendas',
    isDefault: true,
    stages: [
      { id: 'stage-1', funnelId: 'funnel-1', name: 'Novo', color: '#10B981', order: 1 },
      { id: 'stage-2', funnelId: 'funnel-1', name: 'Proposta', color: '#F59E0B', order: 2 },
    ],
  },
]
const tags = [
  { id: 'tag-1', name: 'VIP', color: '#7C3AED' },
  { id: 'tag-2', name: 'Não perturbe', color: '#EF4444' },
]
const instances = [{ id: 'inst-1', instanceName: 'Vendas SP', provider: 'EVOLUTION' }]

function serve(save: (body: unknown) => Response = (body) => json(201, { success: true, data: makeRule(body as never) })) {
  const bodies: unknown[] = []
  const fetchMock = stubFetch(({ url, method, body }) => {
    const path = url.split('?')[0]
    if (path === '/api/followups/rules' && method === 'GET') return ok([])
    if (path === '/api/followups/rules' && method === 'POST') {
      bodies.push(body)
      return save(body)
    }
    if (/^\/api\/followups\/rules\/[\w-]+$/.test(path) && method === 'PUT') {
      bodies.push(body)
      return save(body)
    }
    if (path === '/api/funnels') return ok(funnels)
    if (path === '/api/contacts/tags/list') return ok(tags)
    if (path === '/api/whatsapp/instances') return ok(instances)
    return fail(404, 'Not found', 'not_found')
  })
  return { fetchMock, bodies }
}

const step = () => screen.getByTestId('rule-wizard-body').getAttribute('data-step')

async function openWizard() {
  const rendered = renderWithProviders(<RulesTab canManage />)
  await rendered.user.click(await screen.findByTestId('rule-create'))
  await screen.findByTestId('rule-wizard')
  return rendered
}

// Many typed steps: slow on a busy machine.
describe('Follow-up rule wizard', { timeout: 20_000 }, () => {
  beforeEach(() => {
    useAuthStore.getState().setTokens({ accessToken: 'token', refreshToken: 'refresh' })
  })

  it('goes through every step, checks each one, and sends the whole rule', async () => {
    const { bodies } = serve()
    const { user } = await openWizard()
    expect(step()).toBe('trigger')

    // Step 1: nothing typed yet.
    await user.click(screen.getByTestId('rule-next'))
    expect(step()).toBe('trigger')
    expect(screen.getByText('Campo obrigatório')).toBeInTheDocument()
    await user.type(screen.getByTestId('rule-name'), 'Sem resposta 1 min')
    await user.clear(screen.getByTestId('rule-trigger-value'))
    await user.type(screen.getByTestId('rule-trigger-value'), '0')
    await user.click(screen.getByTestId('rule-next'))
    expect(screen.getByText('“Sem resposta” precisa de um tempo maior que zero')).toBeInTheDocument()
    await user.clear(screen.getByTestId('rule-trigger-value'))
    await user.type(screen.getByTestId('rule-trigger-value'), '1')
    await user.selectOptions(screen.getByTestId('rule-trigger-unit'), 'minutes')
    await user.click(screen.getByTestId('rule-next'))

    // Step 2: a template is required; the chips insert variables.
    expect(step()).toBe('message')
    await user.click(screen.getByTestId('rule-next'))
    expect(screen.getByText('Escreva a mensagem')).toBeInTheDocument()
    await user.type(screen.getByTestId('rule-message'), 'Oi ')
    const chip = screen.getAllByTestId('rule-variable').find((item) => item.dataset.token === '{{contact.firstName}}')!
    await user.click(chip)
    await waitFor(() => expect(screen.getByTestId('rule-message')).toHaveValue('Oi {{contact.firstName}}'))
    await user.click(screen.getByTestId('rule-next'))

    // Step 3: instance, stages, excluded tags.
    expect(step()).toBe('conditions')
    await user.selectOptions(await screen.findByTestId('rule-instance'), 'inst-1')
    const stage = within(screen.getByTestId('rule-include-stages')).getByLabelText('Vendas › Proposta')
    await user.click(stage)
    await user.click(within(screen.getByTestId('rule-exclude-tags')).getByLabelText('Não perturbe'))
    await user.click(screen.getByTestId('rule-next'))

    // Step 4: any time, no interval.
    expect(step()).toBe('timing')
    await user.click(screen.getByTestId('rule-respect-hours'))
    expect(screen.queryByTestId('rule-hours-start')).not.toBeInTheDocument()
    await user.clear(screen.getByTestId('rule-min-interval'))
    await user.type(screen.getByTestId('rule-min-interval'), '0')
    await user.clear(screen.getByTestId('rule-priority'))
    await user.type(screen.getByTestId('rule-priority'), '101')
    await user.click(screen.getByTestId('rule-next'))
    expect(screen.getByText('Use de 0 a 100')).toBeInTheDocument()
    await user.clear(screen.getByTestId('rule-priority'))
    await user.type(screen.getByTestId('rule-priority'), '5')
    await user.click(screen.getByTestId('rule-next'))

    // Step 5: tag after sending.
    expect(step()).toBe('post')
    await user.click(within(screen.getByTestId('rule-add-tags')).getByLabelText('VIP'))
    await user.selectOptions(screen.getByTestId('rule-move-stage'), 'stage-2')
    await user.click(screen.getByTestId('rule-next'))

    // Review, then save.
    expect(step()).toBe('review')
    const review = screen.getByTestId('rule-review')
    expect(review).toHaveTextContent('Sem resposta 1 min')
    expect(review).toHaveTextContent('Sem resposta · 1 minutos')
    expect(review).toHaveTextContent('Vendas SP')
    expect(review).toHaveTextContent('A qualquer hora')
    await user.click(screen.getByTestId('rule-save'))

    await waitFor(() => expect(bodies).toHaveLength(1))
    expect(bodies[0]).toEqual({
      name: 'Sem resposta 1 min',
      description: null,
      instanceId: 'inst-1',
      triggerType: 'NO_RESPONSE',
      triggerValue: 1,
      triggerUnit: 'minutes',
      triggerConfig: { stageIds: [], tagIds: [], funnelId: null, sentiments: [] },
      actionType: 'TEMPLATE',
      message: 'Oi {{contact.firstName}}',
      actionConfig: { tone: null, maxTokens: 200, customInstructions: null, useConversationContext: true },
      conditions: { includeStageIds: ['stage-2'], excludeTagIds: ['tag-2'] },
      postActions: { addTagIds: ['tag-1'], moveToStageId: 'stage-2' },
      maxFollowupsPerContact: 3,
      minIntervalHours: 0,
      minHoursSinceResponse: null,
      respectBusinessHours: false,
      businessHoursStart: '09:00',
      businessHoursEnd: '18:00',
      allowedDays: ['mon', 'tue', 'wed', 'thu', 'fri'],
      aiValidationEnabled: false,
      aiValidationPrompt: null,
      priority: 5,
      maxAttempts: 3,
    })
    await waitFor(() => expect(screen.queryByTestId('rule-wizard')).not.toBeInTheDocument())
  })

  it('sends the AI settings for an AI-written message and a STAGE_ENTERED trigger', async () => {
    const { bodies } = serve()
    const { user } = await openWizard()
    await user.type(screen.getByTestId('rule-name'), 'Proposta enviada')
    await user.selectOptions(screen.getByTestId('rule-trigger-type'), 'STAGE_ENTERED')
    await user.click(screen.getByTestId('rule-next'))
    expect(screen.getByText('Escolha ao menos uma etapa')).toBeInTheDocument()
    await user.click(within(screen.getByTestId('rule-trigger-stages')).getByLabelText('Vendas › Proposta'))
    await user.click(screen.getByTestId('rule-next'))
    await user.selectOptions(screen.getByTestId('rule-action-type'), 'AI_GENERATED')
    await user.type(screen.getByTestId('rule-tone'), 'formal')
    await user.type(screen.getByTestId('rule-instructions'), 'Mencione o desconto')
    await user.click(screen.getByTestId('rule-use-context'))
    for (let index = 0; index < 4; index++) await user.click(screen.getByTestId('rule-next'))
    await user.click(screen.getByTestId('rule-save'))
    await waitFor(() => expect(bodies).toHaveLength(1))
    expect(bodies[0]).toMatchObject({
      triggerType: 'STAGE_ENTERED',
      triggerConfig: { stageIds: ['stage-2'], tagIds: [], funnelId: null, sentiments: [] },
      actionType: 'AI_GENERATED',
      message: null,
      actionConfig: { tone: 'formal', maxTokens: 200, customInstructions: 'Mencione o desconto', useConversationContext: false },
    })
  })

  it("shows the server's refusal next to its field, on the field's step", async () => {
    serve(() =>
      json(422, {
        success: false,
        error: 'instanceId: um dos itens não existe nesta empresa',
        code: 'unprocessable',
        details: [{ field: 'instanceId', code: 'not_found' }],
      }),
    )
    const { user } = await openWizard()
    await user.type(screen.getByTestId('rule-name'), 'Regra')
    await user.click(screen.getByTestId('rule-next'))
    await user.type(screen.getByTestId('rule-message'), 'Oi')
    for (let index = 0; index < 4; index++) await user.click(screen.getByTestId('rule-next'))
    await user.click(screen.getByTestId('rule-save'))
    await waitFor(() => expect(step()).toBe('conditions'))
    expect(screen.getByText('um dos itens não existe nesta empresa')).toBeInTheDocument()
    expect(screen.getByTestId('rule-instance')).toHaveAttribute('aria-invalid', 'true')
    expect(screen.getByTestId('rule-wizard')).toBeInTheDocument()
  })

  it('places a 400 from a whole-body check on the field it names', async () => {
    serve(() =>
      json(400, {
        success: false,
        error: 'Dados inválidos — body: message: obrigatória quando actionType é TEMPLATE',
        code: 'validation_error',
        details: [{ field: 'body', code: 'value_error', message: 'message: obrigatória quando actionType é TEMPLATE' }],
      }),
    )
    const { user } = await openWizard()
    await user.type(screen.getByTestId('rule-name'), 'Regra')
    await user.click(screen.getByTestId('rule-next'))
    await user.type(screen.getByTestId('rule-message'), 'Oi')
    for (let index = 0; index < 4; index++) await user.click(screen.getByTestId('rule-next'))
    await user.click(screen.getByTestId('rule-save'))
    await waitFor(() => expect(step()).toBe('message'))
    expect(screen.getByText('obrigatória quando actionType é TEMPLATE')).toBeInTheDocument()
  })

  it('edits a rule with a PUT of its fields', async () => {
    const rule = makeRule({ triggerValue: 2, triggerUnit: 'days', conditions: { includeStageIds: ['stage-1'] } })
    const bodies: unknown[] = []
    stubFetch(({ url, method, body }) => {
      const path = url.split('?')[0]
      if (path === '/api/followups/rules' && method === 'GET') return ok([rule])
      if (path === '/api/followups/rules/rule-1' && method === 'PUT') {
        bodies.push(body)
        return ok(rule)
      }
      if (path === '/api/funnels') return ok(funnels)
      if (path === '/api/contacts/tags/list') return ok(tags)
      if (path === '/api/whatsapp/instances') return ok(instances)
      return fail(404, 'Not found', 'not_found')
    })
    const { user } = renderWithProviders(<RulesTab canManage />)
    await user.click(await screen.findByTestId('rule-edit'))
    expect(screen.getByTestId('rule-name')).toHaveValue('Retomar conversa')
    expect(screen.getByTestId('rule-trigger-value')).toHaveValue(2)
    await user.clear(screen.getByTestId('rule-name'))
    await user.type(screen.getByTestId('rule-name'), 'Retomar (editada)')
    for (let index = 0; index < 5; index++) await user.click(screen.getByTestId('rule-next'))
    await user.click(screen.getByTestId('rule-save'))
    await waitFor(() => expect(bodies).toHaveLength(1))
    expect(bodies[0]).toMatchObject({
      name: 'Retomar (editada)',
      triggerValue: 2,
      triggerUnit: 'days',
      message: 'Oi {{contact.firstName}}, posso ajudar?',
      conditions: { includeStageIds: ['stage-1'], excludeTagIds: [] },
    })
  })
})
