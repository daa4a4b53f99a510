import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { Client } from "pg"
import { Browser } from "playwright-core"
import { DemoStack, startDemoStack } from "../../demo/stack"
import { freePort } from "../../scripts/postgres"
import { adminClient } from "../helpers/admin"
import { waitFor } from "../helpers/wait"
import { ARTIFACTS, CHROMIUM, chromiumMissing, launchChromium, logInToAdmin } from "./chromium"
import { oneBrowserSuiteAtATime } from "./one-at-a-time"
import { DEFAULT_REPORT_TIME_ZONE } from "../../src/paysys/currencies"

/*
 * The merchant's PaySys page in the real Medusa dashboard (the demo stack, headless Debian
 * chromium): its sidebar entry, a payment through the hosted form that no order can use in
 * "Needs you", marked refunded in the PaySys cabinet, and the ledger recording who did it.
 */

/** kept between runs: the demo reuses its database (migrated and seeded once) */
const DATA_DIR = path.join(os.tmpdir(), "medusa-paysys-admin-page")
const UI_TIMEOUT = 120_000

jest.setTimeout(20 * 60_000)

describe("the PaySys page in the Medusa admin", () => {
  if (chromiumMissing) {
    it.skip(`SKIPPED: ${CHROMIUM} is not installed (apt-get install chromium), so the browser test did not run`, () =>
      undefined)
    return
  }
  oneBrowserSuiteAtATime()

  let stack: DemoStack | undefined
  let browser: Browser | undefined
  let db: Client | undefined
  const stackLog: string[] = []

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true })
    stack = await startDemoStack({
      dataDir: DATA_DIR,
      ports: { medusa: await freePort(), storefront: await freePort(), sandbox: await freePort() },
      log: (line) => stackLog.push(line),
    })
    db = new Client({ connectionString: stack.databaseUrl })
    await db.connect()
  }, 15 * 60_000)

  afterAll(async () => {
    await browser?.close()
    await db?.end()
    await stack?.stop()
    writeFileSync(path.join(ARTIFACTS, "admin-paysys-page-stack.log"), stackLog.join("\n"))
    const medusaLog = path.join(DATA_DIR, "medusa.log")
    if (existsSync(medusaLog)) {
      copyFileSync(medusaLog, path.join(ARTIFACTS, "admin-paysys-page-medusa.log"))
    }
  })

  /**
   * A form payment PaySys took that no order can use, as the ledger holds it once reconciliation
   * parked it (the row reverseAttempt writes for a form attempt: the form has no refund call).
   */
  async function formPaymentWithoutOrder(): Promise<string> {
    const partnerTransId = `payses_browser${Date.now()}-1`
    await db!.query(
      `insert into paysys_attempt (id, partner_trans_id, provider_id, kind, session_id, payment_collection_id, amount, currency,
         state, paysys_status, agr_trans_id, outcome, sent_at, paid_at, bank, history)
       values ($1, $2, 'pp_paysys-form_paysys-form', 'form', $3, $4, '37500000', 'uzs', 'attention', 2, $5,
         'cart_total_changed: refund it in the PaySys cabinet', now(), now(), $6, $7)`,
      [
        `psatt_browser${Date.now()}`,
        partnerTransId,
        partnerTransId.replace(/-1$/, ""),
        `pay_col_browser${Date.now()}`,
        String(Date.now()),
        JSON.stringify({ card_masked: "860000******0001" }),
        JSON.stringify([
          {
            at: new Date().toISOString(),
            event: "paid through the form but no order can use it: refund it in the PaySys cabinet",
          },
        ]),
      ]
    )
    return partnerTransId
  }

  it("lists a form payment without an order in Needs you; marked refunded in the cabinet, it leaves and the ledger says who", async () => {
    const demo = stack!
    const partnerTransId = await formPaymentWithoutOrder()
    const adminApi = await adminClient(demo.medusaUrl, demo.admin)
    const me = (await adminApi.get("/admin/users/me")).data.user.id as string

    // the job's first run (every minute), so that the page shows it
    await waitFor(
      "the reconciliation job's first run",
      // a connection the server closed between polls is no answer: ask again
      async () =>
        ((await adminApi.get("/admin/paysys/reconciliation").catch(() => null))?.data.reconciliation.last_runs.length ??
          0) > 0,
      120_000,
      1000
    )

    browser = await launchChromium()
    // a merchant's browser whose today is not the report's (Tashkent's), whatever the hour: the
    // Payments list still opens on the report's today, where the new payment is
    const reportToday = new Date().toLocaleDateString("en-CA", { timeZone: DEFAULT_REPORT_TIME_ZONE })
    const browserZone = ["Pacific/Pago_Pago", "Pacific/Kiritimati"].find(
      (zone) => new Date().toLocaleDateString("en-CA", { timeZone: zone }) !== reportToday
    )
    const context = await browser.newContext({
      viewport: { width: 1440, height: 1100 },
      locale: "en-US",
      timezoneId: browserZone,
    })
    const page = await context.newPage()
    page.setDefaultTimeout(UI_TIMEOUT)
    const consoleErrors: string[] = []
    page.on("console", (message) => message.type() === "error" && consoleErrors.push(message.text()))

    try {
      await logInToAdmin(page, demo.adminUrl, demo.admin)
      // the page's own sidebar entry
      await page.getByRole("link", { name: "PaySys", exact: true }).first().click()
      await page.waitForURL((url) => url.pathname.endsWith("/paysys"))
      const row = page.locator(
        `[data-testid="paysys-needs-you-form_refund_in_cabinet"][data-partner-trans-id="${partnerTransId}"]`
      )
      await row.waitFor({ state: "visible" })
      const text = (await row.innerText()).replace(/\s+/g, " ")
      expect(text).toContain("860000******0001")
      expect(text).toContain("UZS 375,000.00")
      expect(text).toContain("No order")
      expect(text).toContain("Refund it in the PaySys cabinet")
      await page
        .getByTestId("paysys-last-duration")
        .getByText(/\d+ ms/)
        .waitFor({ state: "visible" })
      await page
        .getByTestId("paysys-payments")
        .getByTestId("paysys-payment-payment")
        .first()
        .waitFor({ state: "visible" })
      expect(await page.getByLabel("From", { exact: true }).inputValue()).toBe(reportToday)
      expect(await page.getByLabel("To", { exact: true }).inputValue()).toBe(reportToday)
      await page.waitForTimeout(500)
      await page.screenshot({ path: path.join(ARTIFACTS, "admin-paysys-page.png"), fullPage: true })

      await row.getByTestId("paysys-refunded-in-cabinet").click()
      await row.waitFor({ state: "detached" })
      const { rows } = await db!.query(
        `select state, outcome, history from paysys_attempt where partner_trans_id = $1`,
        [partnerTransId]
      )
      expect(rows[0]).toMatchObject({ state: "reversed", outcome: "refunded_in_paysys_cabinet" })
      expect(rows[0].history.at(-1)).toMatchObject({ actor: me })
      const { data } = await adminApi.get("/admin/paysys/needs-you", { params: { limit: 100 } })
      expect(data.items.map((item: { partner_trans_id: string }) => item.partner_trans_id)).not.toContain(
        partnerTransId
      )

      // Russian: the dashboard's i18next reads the "lng" cookie / localStorage
      await page.evaluate(() => window.localStorage.setItem("lng", "ru"))
      await context.addCookies([{ name: "lng", value: "ru", url: demo.medusaUrl }])
      await page.reload()
      await page.getByText("PaySys: требует вашего решения").first().waitFor({ state: "visible" })
      await waitFor("the reconciliation section in Russian", async () => (await page.getByText("Сверка").count()) > 0)

      expect(consoleErrors.filter((line) => /paysys/i.test(line))).toEqual([])
    } catch (error) {
      await page
        .screenshot({ path: path.join(ARTIFACTS, "admin-paysys-page-failure.png"), fullPage: true })
        .catch(() => undefined)
      throw error
    }
  })
})
