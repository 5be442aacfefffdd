// Browser test of automation flows against `evoai up` (API, flow-worker, message-worker) with its
// sandbox gateway:
//   BASE_URL=http://127.0.0.1:3999 SANDBOX_URL=http://127.0.0.1:8085 node e2e/flows.mjs
// Flow: register → sandbox provider and instance (as inbox.mjs) → in the editor, add a KEYWORD
// trigger ("catalogo") and a SEND_MESSAGE node from the palette, fill their forms (a variable chip
// for the first name), connect them by dragging the trigger's output onto the message's input,
// save → a dry run from the test panel shows both steps and the message it would send, nothing
// sent → activate the flow from the list → the customer greets (no keyword: nothing starts), then
// writes the keyword from the sandbox phone → the flow's message (first name filled in) reaches the
// phone and the inbox shows it SENT → the executions viewer lists the run COMPLETED and its path
// shows both nodes → the list counts it.
import { BASE_URL, connectSandboxInstance, createHarness, registerViaUi, uniqueSuffix } from './harness.mjs'

const SANDBOX_URL = (process.env.SANDBOX_URL ?? '').replace(/\/+$/, '')
const WAIT_MS = 20_000

const unique = uniqueSuffix()
const owner = {
  fullName: 'Bruno Fluxos',
  companyName: `Loja Fluxos ${unique}`,
  email: `e2e-flows-${unique}@example.com`,
  password: 'e2e-senha-segura',
}
const INSTANCE_NAME = 'Fluxos RJ'
const CUSTOMER = { number: '5521965432109', name: 'Marina Compradora' }
const FLOW_NAME = `Catálogo por palavra-chave ${unique}`
const KEYWORD = 'catalogo'
const flowMarker = `Aqui está o nosso catálogo ${unique}`
// "catalogo" inside a longer sentence, in capitals and with its accent: the trigger matches
// "contains", ignoring case and accents.
const customerText = `Oi! Pode me mandar o CATÁLOGO? ${unique}`
// Without the keyword: starts nothing (the viewer lists one run only).
const greetingText = `Bom dia, tudo bem? ${unique}`

const { step, log, openContext, main } = createHarness('flows', { stepTimeoutMs: WAIT_MS, totalTimeoutMs: 120_000 })

/** Drags from the centre of `from` to the centre of `to` with the mouse, in small moves (React Flow's connection line). */
async function dragBetween(page, from, to) {
  const a = await from.boundingBox()
  const b = await to.boundingBox()
  if (!a || !b) throw new Error('a handle to connect is not on screen')
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2)
  await page.mouse.down()
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2 + 20, { steps: 5 })
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 15 })
  await page.mouse.up()
}

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

  await step('build the flow in the editor: KEYWORD trigger → SEND_MESSAGE', async () => {
    await byTestId('nav-flows').click()
    await byTestId('flows-page').waitFor()
    await byTestId('flows-empty').waitFor()
    await byTestId('flow-create').click()
    // The editor (React Flow) is loaded lazily.
    await byTestId('flow-canvas').waitFor()
    await byTestId('flow-name').fill(FLOW_NAME)

    // The trigger, from the palette: it is added and selected, its form is shown.
    await byTestId('flow-palette-KEYWORD').click()
    await app.locator('[data-testid="flow-node"][data-subtype="KEYWORD"]').waitFor()
    const triggerId = await app.locator('[data-testid="flow-node"][data-subtype="KEYWORD"]').getAttribute('data-node-id')
    await byTestId('flow-node-form').filter({ hasText: triggerId }).waitFor()
    await byTestId('flow-field-keywords').fill(KEYWORD)
    await byTestId('flow-field-match').selectOption('contains')

    // The message, from the palette, below the trigger: a marker and the first-name chip.
    await byTestId('flow-palette-SEND_MESSAGE').click()
    await app.locator('[data-testid="flow-node"][data-subtype="SEND_MESSAGE"]').waitFor()
    const sendId = await app.locator('[data-testid="flow-node"][data-subtype="SEND_MESSAGE"]').getAttribute('data-node-id')
    await byTestId('flow-node-form').filter({ hasText: sendId }).waitFor()
    await byTestId('flow-field-message').fill(`${flowMarker}, `)
    await app.locator('[data-testid="flow-variable"][title="{{contact.firstName}}"]').click()
    await app.waitForFunction(
      (expected) => document.querySelector('[data-testid="flow-field-message"]')?.value === expected,
      `${flowMarker}, {{contact.firstName}}`,
    )

    // Connect them: drag the trigger's output handle onto the message's input handle.
    await dragBetween(
      app,
      app.locator(`.react-flow__node[data-id="${triggerId}"] .react-flow__handle.source`),
      app.locator(`.react-flow__node[data-id="${sendId}"] .react-flow__handle.target`),
    )
    // A straight vertical edge has no width: Playwright never calls it visible, only attached.
    await app.locator('.react-flow__edge').first().waitFor({ state: 'attached' })
    const edges = await app.locator('.react-flow__edge').count()
    if (edges !== 1) throw new Error(`expected one connection on the canvas, found ${edges}`)
    log(`  connected ${triggerId} → ${sendId}`)
  })

  const flowId = await step('save the flow; the editor moves to its address', async () => {
    await byTestId('flow-save').click()
    await app.getByText('Fluxo salvo').first().waitFor()
    await app.waitForURL(/\/automation\/flows\/[0-9a-f-]{36}$/)
    if ((await byTestId('flow-problems').count()) > 0) {
      throw new Error(`the flow has problems: ${await byTestId('flow-problems').innerText()}`)
    }
    // Reloaded from the server after the save: both nodes and the connection are there.
    await byTestId('flow-canvas').waitFor()
    await app.locator('[data-testid="flow-node"][data-subtype="KEYWORD"]').waitFor()
    await app.locator('[data-testid="flow-node"][data-subtype="SEND_MESSAGE"]').waitFor()
    await app.locator('.react-flow__edge').first().waitFor({ state: 'attached' })
    return new URL(app.url()).pathname.split('/').pop()
  })

  await step('dry run from the test panel: both steps, the message it would send', async () => {
    await byTestId('flow-test-toggle').click()
    await byTestId('flow-test-panel').waitFor()
    await byTestId('flow-test-message').fill(`quero o ${KEYWORD}`)
    await byTestId('flow-test-run').click()
    await byTestId('flow-test-result').waitFor()
    await byTestId('flow-test-outcome').filter({ hasText: 'COMPLETED' }).waitFor()
    const steps = byTestId('flow-test-result').getByTestId('flow-path-step')
    await steps.nth(1).waitFor()
    const count = await steps.count()
    if (count !== 2) throw new Error(`expected two steps in the dry run's path, found ${count}`)
    await steps.nth(0).locator('[data-testid="flow-path-result"][data-result="success"]').waitFor()
    await steps.nth(1).locator('[data-testid="flow-path-result"][data-result="success"]').waitFor()
    await steps.nth(1).getByTestId('flow-path-detail').filter({ hasText: flowMarker }).waitFor()
    // The path is highlighted on the canvas.
    await app.locator('[data-testid="flow-node"][data-subtype="KEYWORD"][data-visited="true"]').waitFor()
    await app.locator('[data-testid="flow-node"][data-subtype="SEND_MESSAGE"][data-visited="true"]').waitFor()
  })

  const flowRow = app.locator('[data-testid="flow-row"]', { hasText: FLOW_NAME })
  await step('activate the flow from the list', async () => {
    await byTestId('nav-flows').click()
    await flowRow.waitFor()
    await flowRow.getByRole('cell', { name: 'Palavra-chave', exact: true }).waitFor()
    await flowRow.getByTestId('flow-executions').filter({ hasText: /^0$/ }).waitFor()
    // The checkbox is screen-reader only; a person clicks the switch drawn beside it (its label).
    await flowRow.locator('label', { has: app.getByTestId('flow-toggle') }).click()
    await app.getByText(`Fluxo "${FLOW_NAME}" ativado`).first().waitFor()
    await flowRow.locator('[data-testid="flow-toggle"]:checked').waitFor({ state: 'attached' })
  })

  const phone = `${SANDBOX_URL}/phone/${encodeURIComponent(gatewayName)}?${new URLSearchParams(CUSTOMER)}`
  await step('the customer greets, then writes the keyword from the sandbox phone', async () => {
    await sandbox.goto(phone)
    await sandbox.getByTestId('message-list').waitFor()
    await sandbox.getByTestId('message-input').fill(greetingText)
    await sandbox.getByTestId('send-button').click()
    await sandbox.locator('[data-testid="message"][data-author="customer"]', { hasText: greetingText }).waitFor()
    await sandbox.getByTestId('message-input').fill(customerText)
    await sandbox.getByTestId('send-button').click()
    await sandbox.locator('[data-testid="message"][data-author="customer"]', { hasText: customerText }).waitFor()
  })

  await step("the flow's message reaches the phone, the first name filled in", async () => {
    const started = Date.now()
    const answer = sandbox.locator('[data-testid="message"][data-author="agent"]', { hasText: flowMarker })
    await answer.waitFor()
    log(`  received ${((Date.now() - started) / 1000).toFixed(1)}s after the customer's message was shown`)
    await sandbox.locator('[data-testid="message"][data-author="agent"]', { hasText: `${flowMarker}, Marina` }).waitFor()
    const answers = await answer.count()
    if (answers !== 1) throw new Error(`expected the flow's message once on the phone, found ${answers}`)
  })

  await step('the inbox shows the message SENT in the conversation', async () => {
    await byTestId('nav-inbox').click()
    const conversation = byTestId('inbox-conversation-item').filter({ hasText: CUSTOMER.name })
    await conversation.waitFor()
    await conversation.click()
    await app.locator('[data-testid="inbox-message"][data-direction="RECEIVED"]', { hasText: greetingText }).waitFor()
    await app.locator('[data-testid="inbox-message"][data-direction="RECEIVED"]', { hasText: customerText }).waitFor()
    await app.locator('[data-testid="inbox-message"][data-direction="SENT"]', { hasText: `${flowMarker}, Marina` }).waitFor()
    const sent = await app.locator('[data-testid="inbox-message"][data-direction="SENT"]').count()
    if (sent !== 1) throw new Error(`expected one message sent in the conversation (the flow's), found ${sent}`)
  })

  await step('the executions viewer lists the run COMPLETED, with its path', async () => {
    await byTestId('nav-flows').click()
    await flowRow.getByTestId('flow-executions').click()
    await byTestId('flow-executions-page').waitFor()
    await app.waitForURL(`${BASE_URL}/automation/flows/${flowId}/executions`)
    const row = byTestId('flow-execution-row').filter({ hasText: CUSTOMER.name })
    // A run still going is asked for again every 3 s while the page shows it (no reload).
    await row.locator('[data-testid="flow-execution-status"][data-status="COMPLETED"]').waitFor()
    const rows = await byTestId('flow-execution-row').count()
    if (rows !== 1) throw new Error(`expected one execution, found ${rows}`)

    await row.getByTestId('flow-execution-open').click()
    const detail = byTestId('flow-execution')
    await detail.locator('[data-testid="flow-execution-status"][data-status="COMPLETED"]').waitFor()
    const steps = detail.getByTestId('flow-path-step')
    await steps.nth(1).waitFor()
    const count = await steps.count()
    if (count !== 2) throw new Error(`expected two steps in the execution's path, found ${count}`)
    await detail.locator('[data-testid="flow-path-step"]').nth(0).locator('[data-result="success"]').waitFor()
    await detail.locator('[data-testid="flow-path-step"]').nth(1).locator('[data-result="success"]').waitFor()
    await detail.locator('[data-testid="flow-node"][data-subtype="KEYWORD"][data-visited="true"]').waitFor()
    await detail.locator('[data-testid="flow-node"][data-subtype="SEND_MESSAGE"][data-visited="true"]').waitFor()
    if ((await byTestId('flow-execution-error').count()) > 0) throw new Error('the execution shows an error')
  })

  await step('the COMPLETED filter keeps it, FAILED shows none', async () => {
    await byTestId('flow-executions-status').selectOption('FAILED')
    await byTestId('flow-executions-empty').waitFor()
    await byTestId('flow-executions-status').selectOption('COMPLETED')
    await byTestId('flow-execution-row').filter({ hasText: CUSTOMER.name }).waitFor()
  })

  // Back through the menu (no reload): the list asks for its counts again on every visit.
  await step('back on the list, it counts one run and shows when it ran', async () => {
    await byTestId('nav-flows').click()
    await flowRow.getByTestId('flow-executions').filter({ hasText: /^1$/ }).waitFor()
    await flowRow.locator('[data-testid="flow-toggle"]:checked').waitFor({ state: 'attached' })
    if ((await flowRow.getByText('Nunca', { exact: true }).count()) > 0) throw new Error('the list says the flow never ran')
  })
}

await main(run)
