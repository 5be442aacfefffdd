// Browser test of the whole messaging path against `evoai up` with its sandbox gateway (a fake
// Evolution API with a customer phone page):
//   BASE_URL=http://127.0.0.1:3999 SANDBOX_URL=http://127.0.0.1:8085 node e2e/inbox.mjs
// Flow: register → use the sandbox as the Evolution provider → create an instance (accented
// name) and ask for its QR → the sandbox "scans" it → the app shows it open, live → the inbox is
// opened → the customer writes from the phone page → the conversation and the message arrive
// live → the agent answers → the phone shows the answer with ticks → the app's ticks reach
// DELIVERED/READ, live → the customer reacts and the bubble shows it (message-updated), live.
// Nothing in the app is reloaded after the first page load.
import { createHarness, registerViaUi, uniqueSuffix } from './harness.mjs'

const SANDBOX_URL = (process.env.SANDBOX_URL ?? '').replace(/\/+$/, '')
const WAIT_MS = 20_000

const unique = uniqueSuffix()
const owner = {
  fullName: 'Carla Atendente',
  companyName: `Loja Inbox ${unique}`,
  email: `e2e-inbox-${unique}@example.com`,
  password: 'e2e-senha-segura',
}
// Accented on purpose: the server accepts Unicode letters, and so must the client's validation.
const INSTANCE_NAME = 'Vendas São Paulo'
const CUSTOMER = { number: '5511987654321', name: 'Cliente E2E' }
const customerText = `Olá, vocês entregam hoje? ${unique}`
const agentText = `Entregamos sim, até as 18h! ${unique}`

const { step, openContext, main } = createHarness('inbox', { stepTimeoutMs: WAIT_MS, totalTimeoutMs: 80_000 })

/** Set once the app is loaded; still there at the end proves nothing was reloaded. */
const NO_RELOAD_MARK = '__evoaiE2eNoReload'

async function assertNotReloaded(page) {
  const marked = await page.evaluate((mark) => window[mark] === true, NO_RELOAD_MARK)
  if (!marked) throw new Error('the app page was reloaded; the update had to arrive live')
}

async function run() {
  if (!SANDBOX_URL) throw new Error('SANDBOX_URL is not set (scripts/e2e.sh exports it)')
  const app = await openContext('app')
  const byTestId = (id) => app.getByTestId(id)

  await step(`register ${owner.email}`, () => registerViaUi(app, owner))
  await app.evaluate((mark) => {
    window[mark] = true
  }, NO_RELOAD_MARK)

  await step('use the sandbox gateway as the Evolution provider', async () => {
    // Client-side navigation (the sidebar), so the page is never reloaded.
    await byTestId('nav-whatsapp-providers').click()
    await byTestId('sandbox-card').waitFor()
    await byTestId('sandbox-use-button').click()
    await app.locator('[data-testid="credential-row"][data-provider="EVOLUTION"]').waitFor()
  })

  const card = app.locator(`[data-testid="instance-card"][data-instance-name="${INSTANCE_NAME}"]`)
  await step(`create the instance "${INSTANCE_NAME}" and show its QR code`, async () => {
    await byTestId('nav-connections').click()
    await byTestId('instance-create').click()
    await byTestId('instance-create-name').fill(INSTANCE_NAME)
    await byTestId('instance-create-submit').click()
    await byTestId('instance-create-form').waitFor({ state: 'detached' })
    await card.getByTestId('instance-connect-button').click()
    await byTestId('instance-qr-image').waitFor()
  })

  const sandbox = await openContext('sandbox')
  const gatewayName = await step('the sandbox scans the QR code of the connecting instance', async () => {
    await sandbox.goto(`${SANDBOX_URL}/`)
    const connecting = sandbox.locator('[data-testid="instance-card"][data-state="connecting"]')
    await connecting.first().waitFor()
    const count = await connecting.count()
    if (count !== 1) throw new Error(`expected one connecting instance in the fresh sandbox, found ${count}`)
    const name = await connecting.getAttribute('data-instance')
    if (!name) throw new Error('the sandbox card has no data-instance')
    await connecting.getByTestId('instance-qr').waitFor()
    await connecting.getByTestId('scan-button').click()
    await sandbox.locator(`[data-testid="instance-card"][data-instance="${name}"][data-state="open"]`).waitFor()
    return name
  })

  await step('the app shows the instance open, live', async () => {
    await card.locator('[data-testid="instance-status-badge"][data-status="open"]').waitFor()
    // The dialog says so and closes by itself.
    await byTestId('instance-connect-dialog').waitFor({ state: 'detached' })
    await assertNotReloaded(app)
  })

  await step('open the inbox (empty) before the customer writes', async () => {
    await byTestId('nav-inbox').click()
    await byTestId('inbox').waitFor()
    await byTestId('inbox-conversations-empty').waitFor()
  })

  await step(`the customer writes from the sandbox phone (${gatewayName})`, async () => {
    const query = new URLSearchParams({ number: CUSTOMER.number, name: CUSTOMER.name })
    await sandbox.goto(`${SANDBOX_URL}/phone/${encodeURIComponent(gatewayName)}?${query}`)
    await sandbox.getByTestId('message-list').waitFor()
    await sandbox.getByTestId('message-input').fill(customerText)
    await sandbox.getByTestId('send-button').click()
    await sandbox.locator('[data-testid="message"][data-author="customer"]', { hasText: customerText }).waitFor()
  })

  const conversation = byTestId('inbox-conversation-item').filter({ hasText: CUSTOMER.name })
  await step('the conversation arrives in the inbox live, with the message as its preview', async () => {
    await conversation.waitFor()
    await conversation.getByTestId('inbox-conversation-preview').filter({ hasText: customerText }).waitFor()
    await assertNotReloaded(app)
  })

  await step("open it and see the customer's message", async () => {
    await conversation.click()
    await byTestId('inbox-chat').waitFor()
    await app.locator('[data-testid="inbox-message"][data-direction="RECEIVED"]', { hasText: customerText }).waitFor()
  })

  const sent = app.locator('[data-testid="inbox-message"][data-direction="SENT"]', { hasText: agentText })
  await step('answer from the inbox', async () => {
    await byTestId('inbox-send-input').fill(agentText)
    await byTestId('inbox-send-button').click()
    await sent.waitFor()
  })

  await step('the phone shows the answer with its ticks', async () => {
    const answer = sandbox.locator('[data-testid="message"][data-author="agent"]', { hasText: agentText })
    await answer.waitFor()
    await answer.getByTestId('message-ticks').waitFor()
  })

  await step('the answer reaches DELIVERED or READ in the app, live', async () => {
    await app.locator('[data-testid="inbox-message"][data-direction="SENT"][data-status="DELIVERED"], [data-testid="inbox-message"][data-direction="SENT"][data-status="READ"]', { hasText: agentText }).waitFor()
    // The phone page marks the agent's messages read while it is visible.
    const status = await sent.getAttribute('data-status')
    console.log(`  agent message status: ${status}`)
    await assertNotReloaded(app)
  })

  await step('the customer reacts to the answer; the reaction arrives live (message-updated)', async () => {
    const answer = sandbox.locator('[data-testid="message"][data-author="agent"]', { hasText: agentText })
    await answer.hover()
    await answer.getByTestId('react-action').click()
    await sandbox.locator('[data-testid="reaction-option"][data-emoji="👍"]').click()
    await answer.getByTestId('message-reactions').filter({ hasText: '👍' }).waitFor()
    await sent.getByTestId('inbox-message-reactions').filter({ hasText: '👍' }).waitFor()
    await assertNotReloaded(app)
  })
}

await main(run)
