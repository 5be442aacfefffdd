// Browser smoke test of the web shell against a running API that serves the built client.
//   BASE_URL=http://127.0.0.1:3999 npm run e2e
// Uses the system Chromium (CHROMIUM, default /usr/bin/chromium); never downloads a browser.
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'

const BASE_URL = (process.env.BASE_URL ?? 'http://127.0.0.1:3999').replace(/\/+$/, '')
const EXECUTABLE = process.env.CHROMIUM || '/usr/bin/chromium'
const STEP_TIMEOUT_MS = 15_000
const TOTAL_TIMEOUT_MS = 90_000

const unique = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`
const owner = {
  fullName: 'Ana E2E',
  companyName: `Loja E2E ${unique}`,
  email: `e2e-${unique}@example.com`,
  password: 'e2e-senha-segura',
}
const newMember = { fullName: 'Bruno Membro', email: `e2e-member-${unique}@example.com`, password: 'membro-senha-123' }

const started = Date.now()
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`
const log = (message) => console.log(`[smoke ${elapsed()}] ${message}`)

let browser
let page
const pageErrors = []

async function step(name, action) {
  log(`→ ${name}`)
  await action()
  log(`✓ ${name}`)
}

const byTestId = (id) => page.getByTestId(id)

async function logout() {
  await byTestId('user-menu').click()
  await byTestId('logout').click()
  await byTestId('login-form').waitFor()
}

async function run() {
  browser = await chromium.launch({
    executablePath: EXECUTABLE,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  })
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'pt-BR' })
  context.setDefaultTimeout(STEP_TIMEOUT_MS)
  page = await context.newPage()
  page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(`console: ${message.text()}`)
  })

  await step(`register ${owner.email}`, async () => {
    await page.goto(`${BASE_URL}/register`)
    const form = byTestId('register-form')
    await form.locator('input[name=fullName]').fill(owner.fullName)
    await form.locator('input[name=companyName]').fill(owner.companyName)
    await form.locator('input[name=email]').fill(owner.email)
    await form.locator('input[name=password]').fill(owner.password)
    await byTestId('register-submit').click()
  })

  await step('land in the app shell (sidebar visible)', async () => {
    await byTestId('sidebar').waitFor({ state: 'visible' })
    await byTestId('nav-contacts').waitFor()
    const label = await byTestId('nav-contacts').innerText()
    if (label.trim() !== 'Contatos') throw new Error(`expected pt-BR navigation, got "${label}"`)
  })

  await step('bell shows 1 unread (welcome notification)', async () => {
    await page.waitForFunction(
      () => document.querySelector('[data-testid="notification-count"]')?.textContent?.trim() === '1',
      undefined,
      { timeout: 15_000 },
    )
  })

  await step('log out', logout)

  await step('log in again with the same credentials', async () => {
    const form = byTestId('login-form')
    await form.locator('input[name=email]').fill(owner.email)
    await form.locator('input[name=password]').fill(owner.password)
    await byTestId('login-submit').click()
    await byTestId('sidebar').waitFor({ state: 'visible' })
  })

  await step('open Team settings', async () => {
    await byTestId('nav-team').click()
    await byTestId('team-page').waitFor()
    await page.locator(`[data-testid="member-row"][data-email="${owner.email}"]`).waitFor()
  })

  await step(`add member ${newMember.email}`, async () => {
    await byTestId('team-add-member').click()
    const form = byTestId('member-form')
    await form.locator('input[name=email]').fill(newMember.email)
    await form.locator('input[name=fullName]').fill(newMember.fullName)
    await form.locator('select[name=role]').selectOption('member')
    await form.locator('input[name=password]').fill(newMember.password)
    await byTestId('member-form-submit').click()
    await form.waitFor({ state: 'detached' })
    const row = page.locator(`[data-testid="member-row"][data-email="${newMember.email}"]`)
    await row.waitFor()
    const text = await row.innerText()
    if (!text.includes(newMember.fullName)) throw new Error(`member row lacks the name: "${text}"`)
  })

  await step('switch language to English', async () => {
    await byTestId('language-switch').click()
    await byTestId('language-option-en').click()
    await page.waitForFunction(
      () => document.querySelector('[data-testid="nav-contacts"]')?.textContent?.trim() === 'Contacts',
    )
    const lang = await page.evaluate(() => document.documentElement.lang)
    if (lang !== 'en') throw new Error(`<html lang> is "${lang}"`)
  })

  await step('log out and see the login page', async () => {
    await logout()
    await page.getByRole('heading', { name: 'Sign in' }).waitFor()
  })
}

async function main() {
  log(`BASE_URL=${BASE_URL} chromium=${EXECUTABLE}`)
  const watchdog = setTimeout(() => {
    console.error(`[smoke] FAILED: took longer than ${TOTAL_TIMEOUT_MS / 1000}s`)
    process.exit(1)
  }, TOTAL_TIMEOUT_MS)
  try {
    await run()
    log('PASSED')
  } catch (error) {
    process.exitCode = 1
    console.error(`[smoke ${elapsed()}] FAILED: ${error instanceof Error ? error.message : String(error)}`)
    if (pageErrors.length > 0) console.error(`browser errors:\n  ${pageErrors.slice(-10).join('\n  ')}`)
    if (page) {
      const dir = await mkdtemp(join(tmpdir(), 'evoai-smoke-'))
      const file = join(dir, 'failure.png')
      await page.screenshot({ path: file, fullPage: true }).then(
        () => console.error(`screenshot: ${file} (url ${page.url()})`),
        () => console.error('screenshot failed'),
      )
    }
  } finally {
    clearTimeout(watchdog)
    await browser?.close()
  }
}

await main()
