// Browser smoke test of the web shell against a running API that serves the built client.
//   BASE_URL=http://127.0.0.1:3999 npm run e2e
// Flow: register → bell → logout/login → invite a member → the invitee opens the link in a fresh
// browser context, creates the account and lands in the inviting company → the owner sees the new
// member and no pending invitation → English → logout.
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
const invitee = { fullName: 'Bruno Convidado', email: `e2e-invitee-${unique}@example.com`, password: 'convidado-senha-123' }

const started = Date.now()
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`
const log = (message) => console.log(`[smoke ${elapsed()}] ${message}`)

let browser
let page
// Every page opened, by name, for the failure screenshots.
const pages = new Map()
const pageErrors = []

async function step(name, action) {
  log(`→ ${name}`)
  await action()
  log(`✓ ${name}`)
}

const byTestId = (id) => page.getByTestId(id)
const rowFor = (testId, email, on = page) => on.locator(`[data-testid="${testId}"][data-email="${email}"]`)

async function openContext(name) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'pt-BR' })
  context.setDefaultTimeout(STEP_TIMEOUT_MS)
  const opened = await context.newPage()
  opened.on('pageerror', (error) => pageErrors.push(`${name} pageerror: ${error.message}`))
  opened.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(`${name} console: ${message.text()}`)
  })
  pages.set(name, opened)
  return opened
}

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
  page = await openContext('owner')

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

  let invitePath
  await step(`invite ${invitee.email} as member and read the link`, async () => {
    await byTestId('team-invite-member').click()
    const form = byTestId('invite-form')
    await form.locator('input[name=email]').fill(invitee.email)
    await form.locator('select[name=role]').selectOption('member')
    await byTestId('invite-form-submit').click()
    const link = await byTestId('invite-link').inputValue()
    const url = new URL(link)
    if (!/^\/invite\/[^/]+$/.test(url.pathname)) throw new Error(`unexpected invite link "${link}"`)
    // The link is absolute (FRONTEND_URL or the API's own address); open its path on the server under test.
    if (url.origin !== new URL(BASE_URL).origin) log(`note: invite link origin ${url.origin} differs from BASE_URL`)
    invitePath = `${url.pathname}${url.search}`
    await byTestId('invite-done').click()
    await form.waitFor({ state: 'detached' })
    await rowFor('invitation-row', invitee.email).waitFor()
  })

  await step('invitee opens the link in a fresh browser context and creates the account', async () => {
    const guest = await openContext('invitee')
    await guest.goto(`${BASE_URL}${invitePath}`)
    const summary = guest.getByTestId('invite-summary')
    await summary.waitFor()
    const text = await summary.innerText()
    if (!text.includes(owner.companyName)) throw new Error(`invitation does not name the company: "${text}"`)
    const form = guest.getByTestId('invite-signup-form')
    await form.locator('input[name=fullName]').fill(invitee.fullName)
    await form.locator('input[name=password]').fill(invitee.password)
    await form.locator('input[name=confirm]').fill(invitee.password)
    await guest.getByTestId('invite-signup-submit').click()
  })

  await step("invitee lands in the shell of the inviting company", async () => {
    const guest = pages.get('invitee')
    await guest.getByTestId('sidebar').waitFor({ state: 'visible' })
    await guest.waitForFunction(
      (name) => document.querySelector('[data-testid="company-switcher"]')?.textContent?.includes(name),
      owner.companyName,
    )
    await guest.context().close()
    pages.delete('invitee')
  })

  await step('owner reloads Team: the invitee is a member and nothing is pending', async () => {
    await page.reload()
    await byTestId('team-page').waitFor()
    const row = rowFor('member-row', invitee.email)
    await row.waitFor()
    const text = await row.innerText()
    if (!text.includes(invitee.fullName)) throw new Error(`member row lacks the name: "${text}"`)
    await byTestId('invitations-empty').waitFor()
    const left = await rowFor('invitation-row', invitee.email).count()
    if (left !== 0) throw new Error('the accepted invitation is still listed as pending')
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
    if (pages.size > 0) {
      const dir = await mkdtemp(join(tmpdir(), 'evoai-smoke-'))
      for (const [name, opened] of pages) {
        const file = join(dir, `failure-${name}.png`)
        await opened.screenshot({ path: file, fullPage: true }).then(
          () => console.error(`screenshot: ${file} (url ${opened.url()})`),
          () => console.error(`screenshot of ${name} failed`),
        )
      }
    }
  } finally {
    clearTimeout(watchdog)
    await browser?.close()
  }
}

await main()
