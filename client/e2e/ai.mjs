// Browser test of the AI against `evoai up` with its sandbox gateway and the sandbox's scripted
// OpenAI-compatible model (scripts/e2e.sh points OPENAI_BASE_URL at $SANDBOX_URL/v1):
//   BASE_URL=http://127.0.0.1:3999 SANDBOX_URL=http://127.0.0.1:8085 node e2e/ai.mjs
// Flow: register → sandbox provider, an instance, the QR scanned → an AI-managed tag "Interessado"
// → Configurações > IA: the AI on for the instance, autonomy level 1, quiet window 0 → the guided
// onboarding (a few answers, generate, "Usar este prompt" saves version 1) → "Testar assistente"
// answers (and simulates add_tag) → the customer writes from the phone page: the AI answers in the
// inbox (IA badge) and on the phone → the customer names the tag: the AI tags the contact, the
// tag shows up live in the conversation's AI panel, the answer carries the add_tag action.
// Nothing in the app is reloaded after the first page load.
import { BASE_URL, connectSandboxInstance, createHarness, registerViaUi, uniqueSuffix } from './harness.mjs'

const SANDBOX_URL = (process.env.SANDBOX_URL ?? '').replace(/\/+$/, '')
const WAIT_MS = 20_000

const unique = uniqueSuffix()
const owner = {
  fullName: 'Iara Gestora',
  companyName: `Loja IA ${unique}`,
  email: `e2e-ai-${unique}@example.com`,
  password: 'e2e-senha-segura',
}
const INSTANCE_NAME = 'Atendimento IA'
const TAG = 'Interessado'
const CUSTOMER = { number: '5511976543210', name: 'Cliente IA' }
const firstText = `Bom dia! Vocês abrem sábado? ${unique}`
const tagText = 'Tenho interesse no plano, sou Interessado'

const { step, openContext, main } = createHarness('ai', { stepTimeoutMs: WAIT_MS, totalTimeoutMs: 150_000 })
const NO_RELOAD_MARK = '__evoaiE2eNoReload'

async function assertNotReloaded(page) {
  const marked = await page.evaluate((mark) => window[mark] === true, NO_RELOAD_MARK)
  if (!marked) throw new Error('the app page was reloaded; the update had to arrive live')
}

/** A JSON call to the API with the signed-in user's token (for setup the UI does not offer). */
async function apiCall(page, method, path, body) {
  return page.evaluate(
    async ({ method, path, body, base }) => {
      const stored = JSON.parse(localStorage.getItem('evoai.auth') ?? '{}')
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${stored.state?.accessToken}` },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      return { status: response.status, json: await response.json() }
    },
    { method, path, body, base: BASE_URL },
  )
}

// The server's webhook caches each instance's settings (AI on/off among them) for up to 10 s
// (server/evoai/whatsapp/webhook.py, CACHE_SECONDS): a customer who writes sooner than that after
// the AI is turned on is not answered. The test waits out that window before the customer writes.
const WEBHOOK_CACHE_MS = 10_500
let aiEnabledAt = 0

async function run() {
  if (!SANDBOX_URL) throw new Error('SANDBOX_URL is not set (scripts/e2e.sh exports it)')
  const app = await openContext('app')
  const byTestId = (id) => app.getByTestId(id)

  await step(`register ${owner.email}`, () => registerViaUi(app, owner))
  await app.evaluate((mark) => {
    window[mark] = true
  }, NO_RELOAD_MARK)

  const { sandbox, gatewayName } = await connectSandboxInstance({
    app,
    step,
    openContext,
    sandboxUrl: SANDBOX_URL,
    instanceName: INSTANCE_NAME,
  })

  await step(`create the AI-managed tag "${TAG}"`, async () => {
    const created = await apiCall(app, 'POST', '/api/contacts/tags', { name: TAG, color: '#7C3AED', isAiManaged: true })
    if (created.status !== 201 || created.json.data?.isAiManaged !== true) {
      throw new Error(`creating the tag failed: ${created.status} ${JSON.stringify(created.json)}`)
    }
  })

  const aiCard = app.locator(`[data-testid="ai-instance"][data-instance-name="${INSTANCE_NAME}"]`)
  await step('Configurações > IA: the AI is on (sandbox model) and the instance is listed', async () => {
    await byTestId('nav-team').click()
    await byTestId('settings-tab-ai').click()
    await app.locator('[data-testid="ai-status"][data-enabled="true"]').waitFor()
    await byTestId('ai-usage').waitFor()
    await aiCard.waitFor()
  })

  await step('turn the AI on at autonomy level 1 with a quiet window of 0 s', async () => {
    await aiCard.getByTestId('ai-level-1').click()
    await app.waitForFunction(
      (name) => document.querySelector(`[data-testid="ai-instance"][data-instance-name="${name}"] [data-testid="ai-level-1"]`)?.checked === true,
      INSTANCE_NAME,
    )
    await aiCard.getByTestId('ai-instance-quiet').fill('0')
    await aiCard.getByTestId('ai-instance-save').click()
    await app.getByText('Configurações da IA salvas').first().waitFor()
    await aiCard.getByTestId('ai-instance-enabled').click()
    await app.locator(`[data-testid="ai-instance"][data-instance-name="${INSTANCE_NAME}"][data-enabled="true"]`).waitFor()
    aiEnabledAt = Date.now()
    const settings = await apiCall(app, 'GET', '/api/ai/instances')
    const mine = settings.json.data.find((item) => item.name === INSTANCE_NAME)
    if (!mine?.enabled || mine.autonomyLevel !== 1 || mine.quietWindowSeconds !== 0) {
      throw new Error(`settings not saved: ${JSON.stringify(mine)}`)
    }
  })

  await step('the guided onboarding: answers saved step by step, the prompt generated and used', async () => {
    await aiCard.getByTestId('ai-instance-onboarding-link').click()
    await app.locator('[data-testid="ai-onboarding"][data-step="0"]').waitFor()
    await byTestId('ai-onboarding-business-name').fill('Loja IA')
    await byTestId('ai-onboarding-business-type').fill('loja de planos de internet')
    await byTestId('ai-onboarding-business-description').fill('Vendemos planos de internet fibra para casas e empresas.')
    await byTestId('ai-onboarding-next').click()
    await app.locator('[data-testid="ai-onboarding"][data-step="1"]').waitFor()
    await byTestId('ai-onboarding-audience').fill('Famílias e pequenas empresas do bairro')
    await byTestId('ai-onboarding-tone').selectOption('casual')
    await byTestId('ai-onboarding-next').click()
    await app.locator('[data-testid="ai-onboarding"][data-step="2"]').waitFor()
    await byTestId('ai-onboarding-products').fill('Plano 300 mega\nPlano 1 giga')
    await byTestId('ai-onboarding-next').click()
    await app.locator('[data-testid="ai-onboarding"][data-step="3"]').waitFor()
    await byTestId('ai-onboarding-faq-add').click()
    await byTestId('ai-onboarding-faq-question').fill('Tem fidelidade?')
    await byTestId('ai-onboarding-faq-answer').fill('Não, você cancela quando quiser.')
    await byTestId('ai-onboarding-next').click()
    await app.locator('[data-testid="ai-onboarding"][data-step="4"]').waitFor()
    await byTestId('ai-onboarding-next').click()
    await app.locator('[data-testid="ai-onboarding"][data-step="5"]').waitFor()
    await byTestId('ai-onboarding-generate').click()
    const prompt = byTestId('ai-onboarding-prompt')
    await prompt.waitFor()
    const text = await prompt.inputValue()
    if (!text.includes('Loja IA')) throw new Error(`the generated prompt does not name the business:\n${text.slice(0, 300)}`)
    await byTestId('ai-onboarding-use').click()
    // "Usar este prompt" saves version 1 (generated) and opens the prompt editor.
    await app.locator('[data-testid="ai-prompt-version"][data-version="1"]').waitFor()
    const onboarding = await apiCall(app, 'GET', `/api/ai/instances`)
    const mine = onboarding.json.data.find((item) => item.name === INSTANCE_NAME)
    if (!mine?.onboardingComplete || mine.promptVersion !== 1) throw new Error(`onboarding not complete: ${JSON.stringify(mine)}`)
  })

  await step('"Testar assistente" answers a sample message and simulates the tag action', async () => {
    await byTestId('ai-preview-input').fill('Olá, tudo bem?')
    await byTestId('ai-preview-submit').click()
    await byTestId('ai-preview-part').filter({ hasText: 'Recebi sua mensagem' }).waitFor()
    await byTestId('ai-preview-input').fill(`Quero saber mais, sou ${TAG}`)
    await byTestId('ai-preview-submit').click()
    await app.locator('[data-testid="ai-preview-result"] [data-testid="ai-action"][data-tool="add_tag"][data-status="simulated"]').waitFor()
    await byTestId('ai-preview-part').filter({ hasText: 'Perfeito, já anotei aqui' }).waitFor()
  })

  const conversation = byTestId('inbox-conversation-item').filter({ hasText: CUSTOMER.name })
  const phone = `${SANDBOX_URL}/phone/${encodeURIComponent(gatewayName)}?${new URLSearchParams(CUSTOMER)}`
  await step('the customer writes; the AI answers in the inbox (IA badge) and on the phone', async () => {
    await byTestId('nav-inbox').click()
    await byTestId('inbox').waitFor()
    const wait = aiEnabledAt + WEBHOOK_CACHE_MS - Date.now()
    if (wait > 0) await app.waitForTimeout(wait)
    await sandbox.goto(phone)
    await sandbox.getByTestId('message-list').waitFor()
    await sandbox.getByTestId('message-input').fill(firstText)
    await sandbox.getByTestId('send-button').click()
    await conversation.waitFor()
    await conversation.click()
    await byTestId('inbox-chat').waitFor()
    const answer = app.locator('[data-testid="inbox-message"][data-direction="SENT"]', { hasText: 'Recebi sua mensagem' })
    await answer.getByTestId('inbox-message-ai-badge').waitFor()
    await sandbox.locator('[data-testid="message"][data-author="agent"]', { hasText: 'Recebi sua mensagem' }).waitFor()
  })

  await step('the AI panel shows the state: on, level 1, no tags yet', async () => {
    if ((await byTestId('ai-panel').count()) === 0) await byTestId('ai-panel-toggle').click()
    await app.locator('[data-testid="ai-panel-state"][data-paused="false"]').waitFor()
    await byTestId('ai-panel-level').filter({ hasText: 'Nível 1' }).waitFor()
    if ((await app.locator(`[data-testid="ai-panel-tag"][data-tag-name="${TAG}"]`).count()) !== 0) {
      throw new Error('the contact already has the tag before the customer named it')
    }
  })

  await step(`the customer names the tag: the AI tags the contact, live, and says so`, async () => {
    await sandbox.getByTestId('message-input').fill(tagText)
    await sandbox.getByTestId('send-button').click()
    const answer = app.locator('[data-testid="inbox-message"][data-direction="SENT"]', { hasText: 'Perfeito, já anotei aqui' })
    await answer.getByTestId('inbox-message-ai-badge').waitFor()
    await answer.getByTestId('inbox-message-ai-actions-toggle').click()
    await answer.locator('[data-testid="ai-action"][data-tool="add_tag"][data-status="done"]').waitFor()
    await sandbox.locator('[data-testid="message"][data-author="agent"]', { hasText: 'Perfeito, já anotei aqui' }).waitFor()
    await app.locator(`[data-testid="ai-panel-tag"][data-tag-name="${TAG}"]`).waitFor()
    await app.locator('[data-testid="ai-panel"] [data-testid="ai-action"][data-tool="add_tag"][data-status="done"]').waitFor()
    await assertNotReloaded(app)
  })
}

await main(run)
