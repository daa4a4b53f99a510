import { existsSync, mkdirSync } from "node:fs"
import path from "node:path"
import { Browser, chromium, Page } from "playwright-core"

/*
 * Headless Debian chromium through playwright-core, for the browser tests. Without
 * /usr/bin/chromium (or CHROMIUM_PATH) the tests skip and say so.
 */

export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium"
export const chromiumMissing = !existsSync(CHROMIUM)

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
]

/** Screenshots and logs of the browser tests (gitignored). */
export const ARTIFACTS = path.resolve(__dirname, "../../test-artifacts")

export function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true })
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true })
}

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true })
}

/** Logs in to the Medusa dashboard with its own login form. */
export async function logInToAdmin(page: Page, adminUrl: string, admin: { email: string; password: string }) {
  await page.goto(`${adminUrl}/login`)
  await page.locator('input[name="email"]').fill(admin.email)
  await page.locator('input[name="password"]').fill(admin.password)
  await page.locator('button[type="submit"]').click()
  await page.waitForURL((url) => !url.pathname.endsWith("/login"))
}
