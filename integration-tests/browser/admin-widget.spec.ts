import axios, { AxiosInstance } from "axios"
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { Browser, Page } from "playwright-core"
import { DemoStack, startDemoStack } from "../../demo/stack"
import { freePort } from "../../scripts/postgres"
import { adminClient } from "../helpers/admin"
import { card, CARDS, passThreeDs, THREE_DS_CODE } from "../helpers/checkout"
import { waitFor } from "../helpers/wait"
import { ARTIFACTS, CHROMIUM, chromiumMissing, launchChromium, logInToAdmin } from "./chromium"
import { oneBrowserSuiteAtATime } from "./one-at-a-time"

/*
 * The admin widget in the real Medusa dashboard: the demo stack (PostgreSQL, the PaySys
 * sandbox, Medusa with the admin and this plugin), an order paid through the store API and
 * the sandbox's 3-D Secure page, then headless Debian chromium driven by playwright-core:
 * log in, open the order, read the panel, press "Refresh from PaySys", switch to Russian and Uzbek.
 * Screenshots and Medusa's log go to test-artifacts/.
 */

/** kept between runs: the demo reuses its database (migrated and seeded once) */
const DATA_DIR = path.join(os.tmpdir(), "medusa-paysys-admin-widget")
const UI_TIMEOUT = 120_000

jest.setTimeout(20 * 60_000)

if (chromiumMissing) {
  console.warn(`SKIPPED: the admin widget browser test needs chromium at ${CHROMIUM}, which is not installed`)
}

describe("the PaySys panel in the Medusa admin", () => {
  if (chromiumMissing) {
    it.skip(`SKIPPED: ${CHROMIUM} is not installed (apt-get install chromium), so the browser test did not run`, () =>
      undefined)
    return
  }
  oneBrowserSuiteAtATime()

  let stack: DemoStack | undefined
  let browser: Browser | undefined
  const stackLog: string[] = []

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true })
    stack = await startDemoStack({
      dataDir: DATA_DIR,
      ports: { medusa: await freePort(), storefront: await freePort(), sandbox: await freePort() },
      log: (line) => stackLog.push(line),
    })
  }, 15 * 60_000)

  afterAll(async () => {
    await browser?.close()
    await stack?.stop()
    writeFileSync(path.join(ARTIFACTS, "admin-widget-stack.log"), stackLog.join("\n"))
    const medusaLog = path.join(DATA_DIR, "medusa.log")
    if (existsSync(medusaLog)) {
      copyFileSync(medusaLog, path.join(ARTIFACTS, "admin-widget-medusa.log"))
    }
  })

  it("shows the payment's RRN and status, refreshes from PaySys, follows a refund, speaks Russian and Uzbek", async () => {
    const demo = stack!
    const store = axios.create({ baseURL: demo.medusaUrl, headers: { "x-publishable-api-key": demo.publishableKey } })
    const { orderId } = await payAnOrder(store, demo.storefrontUrl)

    // what the API says, once PaySys's notification was processed (so the history has it)
    const adminApi = await adminClient(demo.medusaUrl, demo.admin)
    const expected = await waitFor(
      "the processed PaySys notification",
      async () => {
        const { data } = await adminApi.get(`/admin/paysys/orders/${orderId}`)
        const processed = data.paysys?.history.some((e: any) => e.type === "notification" && e.processed_at)
        return processed ? data.paysys : null
      },
      60_000,
      500
    )
    expect(expected.rrn).toMatch(/^\d{12}$/)

    browser = await launchChromium()
    const context = await browser.newContext({ viewport: { width: 1440, height: 1100 }, locale: "en-US" })
    const page = await context.newPage()
    page.setDefaultTimeout(UI_TIMEOUT)
    const consoleErrors: string[] = []
    page.on("console", (message) => message.type() === "error" && consoleErrors.push(message.text()))

    try {
      await logInToAdmin(page, demo.adminUrl, demo.admin)
      await page.goto(`${demo.adminUrl}/orders/${orderId}`)
      const panel = page.getByTestId("paysys-order-panel")
      await panel.waitFor({ state: "visible" })
      await panel.scrollIntoViewIfNeeded()

      await expectText(page.getByTestId("paysys-rrn"), expected.rrn)
      await expectText(page.getByTestId("paysys-status"), "Paid")
      await expectText(page.getByTestId("paysys-partner-trans-id"), expected.partner_trans_id)
      await expectText(page.getByTestId("paysys-card"), "411111******1111")
      expect(await page.getByTestId("paysys-status-code").innerText()).toContain("(2)")
      expect(await page.getByTestId("paysys-history-notification").count()).toBeGreaterThanOrEqual(1)
      expect(await page.getByTestId("paysys-history-captured").count()).toBe(1)

      // Refresh from PaySys: a new check_payment, shown at once
      const checkedBefore = await page.getByTestId("paysys-checked-at").innerText()
      await page.waitForTimeout(1100) // the dates show seconds: make the new one differ
      await page.getByTestId("paysys-refresh").click()
      await page.getByText("PaySys status: Paid").first().waitFor({ state: "visible" })
      await waitFor(
        "the new check date",
        async () => (await page.getByTestId("paysys-checked-at").innerText()) !== checkedBefore
      )
      const { data: after } = await adminApi.get(`/admin/paysys/orders/${orderId}`)
      expect(Date.parse(after.paysys.checked_at)).toBeGreaterThan(Date.parse(expected.checked_at))
      await expectText(page.getByTestId("paysys-status"), "Paid")

      await page.waitForTimeout(500)
      await page.screenshot({ path: path.join(ARTIFACTS, "admin-widget.png"), fullPage: true })
      await panel.screenshot({ path: path.join(ARTIFACTS, "admin-widget-panel.png") })

      // a partial refund with Medusa's own admin flow (order -> payment -> Refund): the panel follows
      await page.goto(`${demo.adminUrl}/orders/${orderId}/refund?paymentId=${expected.payment_id}`)
      const drawer = page.getByRole("dialog")
      await drawer.locator("input").first().fill("100000")
      await drawer.locator("textarea").fill("One cushion came back")
      await drawer.locator('button[type="submit"]').click()
      await drawer.waitFor({ state: "detached" })
      await expectText(page.getByTestId("paysys-status"), "Partially refunded")
      await expectText(page.getByTestId("paysys-refunded"), "UZS 100,000.00")
      await page.getByTestId("paysys-history-refund").first().waitFor({ state: "visible" })
      expect(await page.getByTestId("paysys-history-refund").count()).toBe(1)
      await panel.scrollIntoViewIfNeeded()
      await page.waitForTimeout(500)
      await page.screenshot({ path: path.join(ARTIFACTS, "admin-widget-refunded.png"), fullPage: true })

      // the admin's language: the dashboard's i18next reads the "lng" cookie / localStorage
      const speak = async (language: string) => {
        await page.evaluate((lng) => window.localStorage.setItem("lng", lng), language)
        await context.addCookies([{ name: "lng", value: language, url: demo.medusaUrl }])
        await page.reload()
        await panel.waitFor({ state: "visible" })
      }
      await speak("ru")
      await expectText(page.getByTestId("paysys-status"), "Частично возвращён")
      await page.getByText("Платёж PaySys").first().waitFor({ state: "visible" })
      await page.getByText("Обновить из PaySys").first().waitFor({ state: "visible" })
      // dates in Russian: month names are Russian words
      expect(await page.getByTestId("paysys-paid-at").innerText()).toMatch(/[а-я]/)
      await page.setViewportSize({ width: 1440, height: 1800 }) // the whole panel, history included
      await panel.scrollIntoViewIfNeeded()
      await panel.screenshot({ path: path.join(ARTIFACTS, "admin-widget-panel-ru.png") })

      // Uzbek (Latin): the dashboard has no Uzbek of its own, so only the panel changes
      await speak("uz")
      await expectText(page.getByTestId("paysys-status"), "Qisman qaytarilgan")
      await page.getByText("PaySys to‘lovi").first().waitFor({ state: "visible" })
      await page.getByText("PaySys’dan yangilash").first().waitFor({ state: "visible" })
      await panel.screenshot({ path: path.join(ARTIFACTS, "admin-widget-panel-uz.png") })

      expect(consoleErrors.filter((line) => /paysys/i.test(line))).toEqual([])
    } catch (error) {
      await page
        .screenshot({ path: path.join(ARTIFACTS, "admin-widget-failure.png"), fullPage: true })
        .catch(() => undefined)
      throw error
    }
  })
})

/** Cart, shipping, PaySys session, card, the sandbox's 3-D Secure page, completion: over HTTP. */
async function payAnOrder(store: AxiosInstance, storefrontUrl: string) {
  const { data: regions } = await store.get("/store/regions")
  const region = regions.regions.find((r: { currency_code: string }) => r.currency_code === "uzs")
  const { data: products } = await store.get("/store/products", {
    params: { handle: "suzani-cushion", region_id: region.id },
  })
  const variantId = products.products[0].variants[0].id

  const { data: created } = await store.post("/store/carts", {
    region_id: region.id,
    email: "shopper@example.uz",
    items: [{ variant_id: variantId, quantity: 1 }],
    shipping_address: {
      first_name: "Aziz",
      last_name: "Karimov",
      address_1: "Navoi 10",
      city: "Tashkent",
      country_code: "uz",
      postal_code: "100000",
    },
  })
  const cartId = created.cart.id
  const { data: options } = await store.get("/store/shipping-options", { params: { cart_id: cartId } })
  await store.post(`/store/carts/${cartId}/shipping-methods`, { option_id: options.shipping_options[0].id })
  const { data: collection } = await store.post("/store/payment-collections", { cart_id: cartId })
  const { data: withSession } = await store.post(
    `/store/payment-collections/${collection.payment_collection.id}/payment-sessions`,
    {
      provider_id: "pp_paysys_paysys",
    }
  )
  const session = withSession.payment_collection.payment_sessions.find(
    (s: { provider_id: string }) => s.provider_id === "pp_paysys_paysys"
  )
  const { data: started } = await store.post(
    `/store/paysys/payment-sessions/${session.id}/card`,
    card(CARDS.visa, { redirect_url: `${storefrontUrl}/checkout/paysys-return` })
  )
  await passThreeDs(started.confirm_url, { code: THREE_DS_CODE })
  const { data: completed } = await store.post(`/store/carts/${cartId}/complete`, {})
  expect(completed.type).toBe("order")
  return { orderId: completed.order.id as string }
}

/** Waits for the element to read `text` (any whitespace, such as Intl's no-break spaces, as one space). */
async function expectText(locator: ReturnType<Page["getByTestId"]>, text: string) {
  const shown = async () => (await locator.first().innerText()).replace(/\s+/g, " ").trim()
  await locator.first().waitFor({ state: "visible" })
  await waitFor(`"${text}" on the page`, async () => (await shown()) === text).catch(async () => {
    throw new Error(`expected "${text}", the page shows "${await shown()}"`)
  })
}
