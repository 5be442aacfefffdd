// Browser test of automatic follow-ups against `evoai up` (API, workers, scheduler) with its
// sandbox gateway:
//   BASE_URL=http://127.0.0.1:3999 SANDBOX_URL=http://127.0.0.1:8085 node e2e/followups.mjs
// Flow: register → sandbox provider and instance (as inbox.mjs) → create, through the wizard, a
// NO_RESPONSE rule of 1 minute (any hour, no minimum interval) → the customer writes → the agent
// answers from the inbox → the conversation's side panel shows the follow-up pending → about a
// minute later the follow-up reaches the customer's phone (scheduler alarm → followup-worker →
// message-worker → gateway) → the next one is pending → the customer replies → it is gone from the
// side panel and the History tab shows it RESPONDED, the rule's counts too.
import { BASE_URL, connectSandboxInstance, createHarness, registerViaUi, uniqueSuffix } from './harness.mjs'

const SANDBOX_URL = (process.env.SANDBOX_URL ?? '').replace(/\/+$/, '')
const WAIT_MS = 20_000
// One minute of delay, plus the alarm, the worker and the gateway.
const FOLLOWUP_WAIT_MS = 110_000

const unique = uniqueSuffix()
const owner = {
  fullName: 'Fabio Automação',
  companyName: `Loja Follow-up ${unique}`,
  email: `e2e-followups-${unique}@example.com`,
  password: 'e2e-senha-segura',
}
const INSTANCE_NAME = 'Follow-up SP'
const CUSTOMER = { number: '5511976543210', name: 'Renata Cliente' }
const RULE_NAME = `Sem resposta 1 min ${unique}`
const customerText = `Quanto custa o plano anual? ${unique}`
const agentText = `O anual sai por R$ 990. Posso reservar? ${unique}`
const followupMarker = `Ainda por aí? ${unique}`
const replyText = `Desculpe a demora, quero sim! ${unique}`

const { step, log, openContext, main } = createHarness('followups', { stepTimeoutMs: WAIT_MS, totalTimeoutMs: 240_000 })

async function run() {
  if (!SANDBOX_URL) throw new Error('SANDBOX_URL is not set (scripts/e2e.sh exports it)')
  const app = await openContext('app')
  const byTestId = (id) => app.getByTestId(id)

  await step(`register ${owner.email}`, () => registerViaUi(app, owner))

  const { sandbox, gatewayName } = await connectSandboxInstance({
    app,
    step,
    openContext,
    sandboxUrl: SANDBOX_URL,
    instanceName: INSTANCE_NAME,
  })

  await step(`create the rule "${RULE_NAME}" with the wizard`, async () => {
    await byTestId('nav-followups').click()
    await byTestId('followups-page').waitFor()
    await byTestId('rule-create').click()
    // 1. Trigger: no response for 1 minute.
    await byTestId('rule-name').fill(RULE_NAME)
    await byTestId('rule-trigger-type').selectOption('NO_RESPONSE')
    await byTestId('rule-trigger-value').fill('1')
    await byTestId('rule-trigger-unit').selectOption('minutes')
    await byTestId('rule-next').click()
    // 2. Message: a template with a variable chip.
    await byTestId('rule-step-message').waitFor()
    await byTestId('rule-message').fill(`${followupMarker} `)
    await app.locator('[data-testid="rule-variable"][data-token="{{contact.firstName}}"]').click()
    await byTestId('rule-next').click()
    // 3. Conditions: every number.
    await byTestId('rule-step-conditions').waitFor()
    await byTestId('rule-next').click()
    // 4. Timing: any hour, no minimum interval.
    await byTestId('rule-step-timing').waitFor()
    await byTestId('rule-respect-hours').uncheck()
    await byTestId('rule-min-interval').fill('0')
    await byTestId('rule-next').click()
    // 5. Post-actions: none. Review and save.
    await byTestId('rule-step-post').waitFor()
    await byTestId('rule-next').click()
    await byTestId('rule-review').filter({ hasText: RULE_NAME }).waitFor()
    await byTestId('rule-save').click()
    await byTestId('rule-wizard').waitFor({ state: 'detached' })
    await app.locator(`[data-testid="rule-row"][data-rule-name="${RULE_NAME}"][data-active="true"]`).waitFor()
  })

  const phone = `${SANDBOX_URL}/phone/${encodeURIComponent(gatewayName)}?${new URLSearchParams(CUSTOMER)}`
  await step('the customer writes from the sandbox phone', async () => {
    await sandbox.goto(phone)
    await sandbox.getByTestId('message-list').waitFor()
    await sandbox.getByTestId('message-input').fill(customerText)
    await sandbox.getByTestId('send-button').click()
    await sandbox.locator('[data-testid="message"][data-author="customer"]', { hasText: customerText }).waitFor()
  })

  await step('answer from the inbox', async () => {
    await byTestId('nav-inbox').click()
    const conversation = byTestId('inbox-conversation-item').filter({ hasText: CUSTOMER.name })
    await conversation.waitFor()
    await conversation.click()
    await app.locator('[data-testid="inbox-message"][data-direction="RECEIVED"]', { hasText: customerText }).waitFor()
    await byTestId('inbox-send-input').fill(agentText)
    await byTestId('inbox-send-button').click()
    await app.locator('[data-testid="inbox-message"][data-direction="SENT"]', { hasText: agentText }).waitFor()
    await sandbox.locator('[data-testid="message"][data-author="agent"]', { hasText: agentText }).waitFor()
  })

  const pendingItem = app.locator(`[data-testid="conversation-followup"][data-rule-name="${RULE_NAME}"]`)
  const firstId = await step("the conversation's side panel shows the follow-up pending", async () => {
    if ((await byTestId('ai-panel').count()) === 0) await byTestId('ai-panel-toggle').click()
    await byTestId('conversation-followups').waitFor()
    await pendingItem.waitFor()
    return pendingItem.getAttribute('data-followup-id')
  })

  await step('about a minute later the follow-up reaches the phone', async () => {
    const started = Date.now()
    await sandbox
      .locator('[data-testid="message"][data-author="agent"]', { hasText: followupMarker })
      .waitFor({ timeout: FOLLOWUP_WAIT_MS })
    log(`  follow-up received ${((Date.now() - started) / 1000).toFixed(0)}s after the agent's answer was shown`)
    // The first name was filled in.
    await sandbox.locator('[data-testid="message"][data-author="agent"]', { hasText: `${followupMarker} Renata` }).waitFor()
    await app.locator('[data-testid="inbox-message"][data-direction="SENT"]', { hasText: followupMarker }).waitFor()
  })

  const nextId = await step('the next follow-up of the sequence is pending', async () => {
    await app.locator(`[data-testid="conversation-followup"][data-rule-name="${RULE_NAME}"]:not([data-followup-id="${firstId}"])`).waitFor()
    return pendingItem.getAttribute('data-followup-id')
  })

  await step('the customer replies; the pending follow-up is gone from the side panel', async () => {
    await sandbox.getByTestId('message-input').fill(replyText)
    await sandbox.getByTestId('send-button').click()
    await app.locator('[data-testid="inbox-message"][data-direction="RECEIVED"]', { hasText: replyText }).waitFor()
    await byTestId('conversation-followups-empty').waitFor()
  })

  await step('the History tab shows it RESPONDED and the first one SENT', async () => {
    await app.goto(`${BASE_URL}/automation/follow-ups?tab=history`)
    await byTestId('followup-history').waitFor()
    await byTestId('history-status-filter').selectOption('RESPONDED')
    await app.locator(`[data-testid="history-row"][data-status="RESPONDED"][data-rule-name="${RULE_NAME}"]`).waitFor()
    await byTestId('history-status-filter').selectOption('SENT')
    await app.locator('[data-testid="history-row"][data-status="SENT"]', { hasText: followupMarker }).waitFor()
    log(`  sent ${firstId}, responded ${nextId}`)
  })

  await step('the Queue tab is empty and the rule counts one sent and one responded', async () => {
    await byTestId('followups-tab-queue').click()
    await byTestId('followup-queue-empty').waitFor()
    await byTestId('followups-tab-rules').click()
    const row = app.locator(`[data-testid="rule-row"][data-rule-name="${RULE_NAME}"]`)
    await row.getByTestId('rule-stat-sent').filter({ hasText: /^1$/ }).waitFor()
    await row.getByTestId('rule-stat-responded').filter({ hasText: /^1$/ }).waitFor()
    await row.getByTestId('rule-stat-pending').filter({ hasText: /^0$/ }).waitFor()
  })
}

await main(run)
