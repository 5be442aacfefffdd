// Browser test of the CRM against `evoai up`:
//   BASE_URL=http://127.0.0.1:3999 node e2e/crm.mjs
// Flow: register → import contacts from a CSV with broken rows (preview shows each row's fate,
// confirm creates the good ones) → create a funnel with stages (one with a WIP limit of 1, one won
// stage) → create two deals → drag one across stages → drag the second into the full stage
// (refused, it stays) → drag the first into Won → open the second: add a formatted note and an
// attachment → reload: everything is still there.
import { createHarness, registerViaUi, uniqueSuffix } from './harness.mjs'

const unique = uniqueSuffix()
const owner = {
  fullName: 'Vera Vendas',
  companyName: `Loja CRM ${unique}`,
  email: `e2e-crm-${unique}@example.com`,
  password: 'e2e-senha-segura',
}
const FUNNEL = `Funil E2E ${unique.slice(-4)}`
const CSV = [
  'nome;telefone;email;tags',
  'Ana Conceição;+55 (11) 98888-0001;ana@example.com;VIP',
  'Bruno Lima;5511988880002;;',
  'Sem telefone;;x@example.com;',
  'Ana de novo;551188880001;;', // Ana's number without the 9th digit: the same person
  'Carla Souza;5521977770003;carla@example.com;VIP|Recompra',
].join('\n')

const { step, openContext, main } = createHarness('crm', { stepTimeoutMs: 20_000, totalTimeoutMs: 120_000 })

async function run() {
  const app = await openContext('app')
  const byTestId = (id) => app.getByTestId(id)
  const column = (name) => app.locator(`[data-testid="board-column"][data-stage-name="${name}"]`)
  const card = (title) => app.locator('[data-testid="deal-card"]', { hasText: title })

  /** A real pointer drag (dnd-kit needs moves in steps to start and to find the target). */
  async function drag(title, toColumn) {
    const from = await card(title).locator('[data-testid="deal-card-title"]').boundingBox()
    const to = await column(toColumn).boundingBox()
    if (!from || !to) throw new Error(`cannot drag ${title} to ${toColumn}: not on screen`)
    await app.mouse.move(from.x + from.width / 2, from.y + from.height / 2)
    await app.mouse.down()
    await app.mouse.move(from.x + from.width / 2 + 10, from.y + from.height / 2 + 10, { steps: 5 })
    await app.mouse.move(to.x + to.width / 2, to.y + 80, { steps: 20 })
    await app.mouse.up()
  }

  await step(`register ${owner.email}`, () => registerViaUi(app, owner))

  await step('import a CSV: the preview shows each row, confirming creates the good ones', async () => {
    await byTestId('nav-contacts').click()
    await byTestId('contact-import').click()
    await byTestId('import-file').setInputFiles({ name: 'clientes.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV, 'utf8') })
    await byTestId('import-upload').click()
    await app.locator('[data-testid="import-row"]').first().waitFor()
    const statuses = await app.locator('[data-testid="import-row"]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-status')))
    if (JSON.stringify(statuses) !== JSON.stringify(['create', 'create', 'invalid', 'duplicate', 'create'])) {
      throw new Error(`unexpected preview: ${statuses.join(', ')}`)
    }
    await byTestId('import-confirm').click()
    await byTestId('import-result').waitFor()
    await byTestId('import-done').click()
    await app.locator('[data-testid="contacts-row"]').nth(2).waitFor()
    const rows = await app.locator('[data-testid="contacts-row"]').count()
    if (rows !== 3) throw new Error(`expected 3 contacts, found ${rows}`)
    await byTestId('contacts-search').fill('conceicao')
    await app.locator('[data-testid="contacts-row"]', { hasText: 'Ana Conceição' }).waitFor()
    await app.waitForFunction(() => document.querySelectorAll('[data-testid="contacts-row"]').length === 1)
  })

  await step(`create the funnel "${FUNNEL}" with a WIP-limited stage and a won stage`, async () => {
    await byTestId('nav-funnels').click()
    await byTestId('kanban-board').waitFor()
    await byTestId('funnel-settings').click()
    await byTestId('funnel-new-name').fill(FUNNEL)
    await byTestId('funnel-create').click()
    // The new funnel is shown at once; its settings hold the stages.
    await column('Novo').waitFor()
    if (!(await byTestId('funnel-settings-dialog').isVisible())) await byTestId('funnel-settings').click()
    for (const [name, wip, kind] of [['Proposta', '', 'open'], ['Negociação', '1', 'open'], ['Ganho', '', 'won']]) {
      await byTestId('stage-add').click()
      await byTestId('stage-name-input').fill(name)
      if (wip) await byTestId('stage-wip-input').fill(wip)
      await byTestId('stage-kind-select').selectOption(kind)
      await byTestId('stage-save').click()
      await app.locator('[data-testid="stage-row"]', { hasText: name }).waitFor()
    }
    await app.keyboard.press('Escape')
    await byTestId('funnel-settings-dialog').waitFor({ state: 'detached' })
    await column('Ganho').waitFor()
    await column('Negociação').getByTestId('column-wip').filter({ hasText: '0/1' }).waitFor()
  })

  for (const title of ['Proposta Ana', 'Proposta Bruno']) {
    await step(`create the deal "${title}"`, async () => {
      await byTestId('deal-create').click()
      await byTestId('deal-create-dialog').getByTestId('deal-title-input').fill(title)
      await byTestId('deal-value-input').fill('1500')
      await byTestId('deal-create-submit').click()
      await byTestId('deal-create-dialog').waitFor({ state: 'detached' })
      await column('Novo').locator('[data-testid="deal-card"]', { hasText: title }).waitFor()
    })
  }

  await step('drag "Proposta Ana" to Proposta, then to Negociação (its one free slot)', async () => {
    await drag('Proposta Ana', 'Proposta')
    await column('Proposta').locator('[data-testid="deal-card"]', { hasText: 'Proposta Ana' }).waitFor()
    await drag('Proposta Ana', 'Negociação')
    await column('Negociação').locator('[data-testid="deal-card"]', { hasText: 'Proposta Ana' }).waitFor()
    await column('Negociação').getByTestId('column-wip').filter({ hasText: '1/1' }).waitFor()
  })

  await step('drag "Proposta Bruno" into the full stage: refused, it stays in Novo', async () => {
    await drag('Proposta Bruno', 'Negociação')
    await app.waitForTimeout(1000) // any move would have been sent and answered by now
    await column('Novo').locator('[data-testid="deal-card"]', { hasText: 'Proposta Bruno' }).waitFor()
    const inFull = await column('Negociação').locator('[data-testid="deal-card"]', { hasText: 'Proposta Bruno' }).count()
    if (inFull !== 0) throw new Error('the full stage took a second deal')
  })

  await step('drag "Proposta Ana" into Ganho: the deal is won', async () => {
    await drag('Proposta Ana', 'Ganho')
    await column('Ganho').locator('[data-testid="deal-card"]', { hasText: 'Proposta Ana' }).waitFor()
    await column('Negociação').getByTestId('column-wip').filter({ hasText: '0/1' }).waitFor()
  })

  await step('open "Proposta Bruno": add a formatted note and an attachment', async () => {
    await card('Proposta Bruno').locator('[data-testid="deal-card-title"]').click()
    await byTestId('deal-drawer').waitFor()
    const editor = byTestId('deal-note-editor')
    await editor.click()
    await app.keyboard.type('Cliente pediu ')
    await app.keyboard.press('Control+b')
    await app.keyboard.type('desconto')
    await app.keyboard.press('Control+b')
    await app.keyboard.type(' <img src=x onerror=alert(1)>')
    await byTestId('deal-note-save').click()
    const note = app.locator('[data-testid="deal-note"]', { hasText: 'Cliente pediu' })
    await note.waitFor()
    if ((await note.locator('strong, b').count()) === 0) throw new Error('the bold word lost its formatting')
    if ((await note.locator('img').count()) !== 0) throw new Error('an <img> from typed text was rendered')
    await byTestId('deal-attachment-input').setInputFiles({
      name: 'proposta.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
    })
    await app.locator('[data-testid="deal-attachment"]', { hasText: 'proposta.pdf' }).waitFor()
  })

  await step('reload: the board, the note and the attachment are still there', async () => {
    await app.reload()
    await byTestId('deal-drawer').waitFor()
    await app.locator('[data-testid="deal-note"]', { hasText: 'Cliente pediu' }).waitFor()
    await app.locator('[data-testid="deal-attachment"]', { hasText: 'proposta.pdf' }).waitFor()
    await app.keyboard.press('Escape')
    await column('Ganho').locator('[data-testid="deal-card"]', { hasText: 'Proposta Ana' }).waitFor()
    await column('Novo').locator('[data-testid="deal-card"]', { hasText: 'Proposta Bruno' }).waitFor()
  })
}

await main(run)
