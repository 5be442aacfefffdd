// Browser smoke test of the web shell against a running API that serves the built client.
//   BASE_URL=http://127.0.0.1:3999 npm run e2e
// Flow: register → bell → logout/login → invite a member → the invitee opens the link in a fresh
// browser context, creates the account and lands in the inviting company → the owner sees the new
// member and no pending invitation → English → logout.
// Uses the system Chromium (CHROMIUM, default /usr/bin/chromium); never downloads a browser.
import { BASE_URL, createHarness, loginViaUi, logout as logoutOf, registerViaUi, uniqueSuffix } from './harness.mjs'

const unique = uniqueSuffix()
const owner = {
  fullName: 'Ana E2E',
  companyName: `Loja E2E ${unique}`,
  email: `e2e-${unique}@example.com`,
  password: 'e2e-senha-segura',
}
const invitee = { fullName: 'Bruno Convidado', email: `e2e-invitee-${unique}@example.com`, password: 'convidado-senha-123' }

const { log, step, openContext, main, pages } = createHarness('smoke', { stepTimeoutMs: 15_000, totalTimeoutMs: 90_000 })

let page

const byTestId = (id) => page.getByTestId(id)
const rowFor = (testId, email, on = page) => on.locator(`[data-testid="${testId}"][data-email="${email}"]`)
const logout = () => logoutOf(page)

async function run() {
  page = await openContext('owner')

  await step(`register ${owner.email}`, () => registerViaUi(page, owner))

  await step('land in the app shell (pt-BR navigation)', async () => {
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

  await step('log in again with the same credentials', () => loginViaUi(page, owner))

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

await main(run)
