// Shared by the browser tests: Debian's Chromium through playwright-core (never downloads a
// browser), named pages, logged steps, a watchdog, and on failure every open page's visible
// text and a screenshot. Also the account helpers both tests use.
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'

export const BASE_URL = (process.env.BASE_URL ?? 'http://127.0.0.1:3999').replace(/\/+$/, '')
export const EXECUTABLE = process.env.CHROMIUM || '/usr/bin/chromium'

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
]

/** A short suffix that keeps e-mails and names of one run apart from the others. */
export const uniqueSuffix = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`

/**
 * One test run. `name` prefixes the log lines; `stepTimeoutMs` is every wait's default;
 * `totalTimeoutMs` stops the run however it is stuck.
 */
export function createHarness(name, { stepTimeoutMs = 15_000, totalTimeoutMs = 90_000 } = {}) {
  const started = Date.now()
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`
  const log = (message) => console.log(`[${name} ${elapsed()}] ${message}`)
  // Every page opened, by name, for the failure report.
  const pages = new Map()
  const pageErrors = []
  let browser

  async function step(title, action) {
    log(`→ ${title}`)
    const result = await action()
    log(`✓ ${title}`)
    return result
  }

  /** A fresh browser context (own cookies and storage) with one page, in Brazilian Portuguese. */
  async function openContext(pageName, { locale = 'pt-BR' } = {}) {
    browser ??= await chromium.launch({ executablePath: EXECUTABLE, headless: true, args: CHROMIUM_ARGS })
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale })
    context.setDefaultTimeout(stepTimeoutMs)
    const opened = await context.newPage()
    watch(pageName, opened)
    return opened
  }

  /** Another page in the same context as `on` (shares its session). */
  async function openPage(pageName, on) {
    const opened = await on.context().newPage()
    watch(pageName, opened)
    return opened
  }

  function watch(pageName, opened) {
    opened.on('pageerror', (error) => pageErrors.push(`${pageName} pageerror: ${error.message}`))
    opened.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(`${pageName} console: ${message.text()}`)
    })
    opened.on('close', () => {
      if (pages.get(pageName) === opened) pages.delete(pageName)
    })
    pages.set(pageName, opened)
  }

  async function report() {
    if (pageErrors.length > 0) console.error(`browser errors:\n  ${pageErrors.slice(-10).join('\n  ')}`)
    if (pages.size === 0) return
    const dir = await mkdtemp(join(tmpdir(), `evoai-${name}-`))
    for (const [pageName, opened] of pages) {
      const text = await opened
        .evaluate(() => document.body?.innerText ?? '')
        .then((value) => value.replace(/\n{2,}/g, '\n').trim().slice(0, 2_000))
        .catch(() => '(could not read the page)')
      console.error(`---- page "${pageName}" (${opened.url()}) visible text ----\n${text}`)
      const file = join(dir, `failure-${pageName}.png`)
      await opened.screenshot({ path: file, fullPage: true }).then(
        () => console.error(`screenshot: ${file}`),
        () => console.error(`screenshot of ${pageName} failed`),
      )
    }
  }

  /** Runs `run()`; failures (or the watchdog) set a non-zero exit code after the report. */
  async function main(run) {
    log(`BASE_URL=${BASE_URL} chromium=${EXECUTABLE}`)
    let finished = false
    const watchdog = setTimeout(async () => {
      if (finished) return
      console.error(`[${name} ${elapsed()}] FAILED: took longer than ${totalTimeoutMs / 1000}s`)
      await Promise.race([report(), new Promise((resolve) => setTimeout(resolve, 10_000))])
      process.exit(1)
    }, totalTimeoutMs)
    try {
      await run()
      log('PASSED')
    } catch (error) {
      process.exitCode = 1
      console.error(`[${name} ${elapsed()}] FAILED: ${error instanceof Error ? error.message : String(error)}`)
      await report()
    } finally {
      finished = true
      clearTimeout(watchdog)
      await browser?.close()
    }
  }

  return { log, step, openContext, openPage, main, pages }
}

/** Registers through the form; resolves once the shell (sidebar) is shown. */
export async function registerViaUi(page, account) {
  await page.goto(`${BASE_URL}/register`)
  const form = page.getByTestId('register-form')
  await form.locator('input[name=fullName]').fill(account.fullName)
  await form.locator('input[name=companyName]').fill(account.companyName)
  await form.locator('input[name=email]').fill(account.email)
  await form.locator('input[name=password]').fill(account.password)
  await page.getByTestId('register-submit').click()
  await page.getByTestId('sidebar').waitFor({ state: 'visible' })
}

/** Signs in through the login form (the page must show it); resolves once the shell is shown. */
export async function loginViaUi(page, account) {
  const form = page.getByTestId('login-form')
  await form.locator('input[name=email]').fill(account.email)
  await form.locator('input[name=password]').fill(account.password)
  await page.getByTestId('login-submit').click()
  await page.getByTestId('sidebar').waitFor({ state: 'visible' })
}

export async function logout(page) {
  await page.getByTestId('user-menu').click()
  await page.getByTestId('logout').click()
  await page.getByTestId('login-form').waitFor()
}


/**
 * The set-up the feature tests share (inbox.mjs tests these steps in detail): the sandbox gateway
 * as the Evolution provider, an instance named `instanceName`, its QR code scanned by the sandbox
 * until the app shows it open. Returns the sandbox's page (a context of its own) and the instance's
 * name at the gateway.
 */
export async function connectSandboxInstance({ app, step, openContext, sandboxUrl, instanceName }) {
  const byTestId = (id) => app.getByTestId(id)
  await step('use the sandbox gateway as the Evolution provider', async () => {
    await byTestId('nav-whatsapp-providers').click()
    await byTestId('sandbox-card').waitFor()
    await byTestId('sandbox-use-button').click()
    await app.locator('[data-testid="credential-row"][data-provider="EVOLUTION"]').waitFor()
  })

  const card = app.locator(`[data-testid="instance-card"][data-instance-name="${instanceName}"]`)
  await step(`create the instance "${instanceName}" and show its QR code`, async () => {
    await byTestId('nav-connections').click()
    await byTestId('instance-create').click()
    await byTestId('instance-create-name').fill(instanceName)
    await byTestId('instance-create-submit').click()
    await byTestId('instance-create-form').waitFor({ state: 'detached' })
    await card.getByTestId('instance-connect-button').click()
    await byTestId('instance-qr-image').waitFor()
  })

  const sandbox = await openContext('sandbox')
  const gatewayName = await step('the sandbox scans the QR code', async () => {
    await sandbox.goto(`${sandboxUrl}/`)
    const connecting = sandbox.locator('[data-testid="instance-card"][data-state="connecting"]')
    await connecting.first().waitFor()
    const name = await connecting.first().getAttribute('data-instance')
    if (!name) throw new Error('the sandbox card has no data-instance')
    await connecting.first().getByTestId('scan-button').click()
    await sandbox.locator(`[data-testid="instance-card"][data-instance="${name}"][data-state="open"]`).waitFor()
    await card.locator('[data-testid="instance-status-badge"][data-status="open"]').waitFor()
    await byTestId('instance-connect-dialog').waitFor({ state: 'detached' })
    return name
  })
  return { sandbox, gatewayName }
}
