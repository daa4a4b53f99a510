import axios from "axios"
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { Browser, Page } from "playwright-core"
import { databaseNameFor, DemoStack, startDemoStack } from "../../demo/stack"
import { dropDatabase } from "../../demo/database"
import { configuredDatabase, freePort } from "../../scripts/postgres"
import { ARTIFACTS, CHROMIUM, chromiumMissing, launchChromium, logInToAdmin, screenshot } from "./chromium"
import { oneBrowserSuiteAtATime } from "./one-at-a-time"
import { adminClient } from "../helpers/admin"
import {
  addToCart,
  checkoutToCardForm,
  chooseLanguage,
  payOnPaysysPage,
  payWithCard,
  readConfirmation,
  signUpAndSaveCard,
} from "./demo-storefront"

/*
 * `npm run demo`, as a shopper and a merchant see it: the demo stack (demo/stack.ts, the same
 * one `npm run demo` starts) on free ports with a temporary data directory, and headless
 * Debian chromium driven by playwright-core through the storefront, the sandbox's 3-D Secure
 * page, the sandbox's hosted payment form and the Medusa admin. Screenshots, the stack's progress and Medusa's log go to
 * test-artifacts/.
 */

jest.setTimeout(15 * 60_000)

/** the first dashboard load may have Vite prepare its dependencies */
const ADMIN_TIMEOUT = 180_000
const UI_TIMEOUT = 60_000

/** What the storefront kit's parts say, per language the tests shop in. */
const KIT_TEXT = {
  en: {
    cardNumber: "Card number",
    uzcard: /UzCard and HUMO cards are paid on PaySys's payment form/,
    declined: "The payment did not go through",
    savedCards: "Saved cards",
  },
  ru: {
    cardNumber: "Номер карты",
    uzcard: /Картами UzCard и HUMO оплачивают на платёжной форме PaySys/,
    declined: "Платёж не прошёл",
    savedCards: "Сохранённые карты",
  },
}
const LANGUAGES = Object.keys(KIT_TEXT) as (keyof typeof KIT_TEXT)[]

type SandboxTransaction = {
  partner_trans_id: string
  status: number
  amount: string
  currency: string
  rrn: string | null
  card: { masked: string }
}

if (chromiumMissing) {
  console.warn(
    `SKIPPED: the demo's browser test needs chromium at ${CHROMIUM}, which is not installed (apt-get install chromium)`
  )
}

describe("the demo (npm run demo) in a browser", () => {
  if (chromiumMissing) {
    it.skip(`SKIPPED: ${CHROMIUM} is not installed (apt-get install chromium), so the demo's browser test did not run`, () =>
      undefined)
    return
  }
  oneBrowserSuiteAtATime()

  const dataDir = mkdtempSync(path.join(os.tmpdir(), "paysys-demo-test-"))
  const stackLog: string[] = []
  let demo: DemoStack | undefined
  let browser: Browser | undefined

  beforeAll(async () => {
    demo = await startDemoStack({ dataDir, ports: await distinctFreePorts(), log: (line) => stackLog.push(line) })
    browser = await launchChromium()
  }, 10 * 60_000)

  afterAll(async () => {
    await browser?.close()
    await demo?.stop()
    writeFileSync(path.join(ARTIFACTS, "demo-stack.log"), stackLog.join("\n"))
    if (existsSync(path.join(dataDir, "medusa.log"))) {
      copyFileSync(path.join(dataDir, "medusa.log"), path.join(ARTIFACTS, "demo-medusa.log"))
    }
    await dropTestDatabase(dataDir)
    rmSync(dataDir, { recursive: true, force: true })
  }, 120_000)

  async function newPage(): Promise<Page> {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" })
    const page = await context.newPage()
    page.setDefaultTimeout(UI_TIMEOUT)
    return page
  }

  async function sandboxTransactions(): Promise<SandboxTransaction[]> {
    const { data } = await axios.get(`${demo!.sandboxUrl}/__sandbox/transactions`)
    return data.transactions
  }

  it("buys with a test card through 3-D Secure, confirms with the RRN, and the admin shows the order with it", async () => {
    const page = await newPage()
    try {
      await addToCart(page, demo!.storefrontUrl, "UZS", "suzani-cushion")
      await screenshot(page, "demo-1-shop")
      await checkoutToCardForm(page)
      await payWithCard(page, "4111 1111 1111 1111", { form: "demo-2-card-form", threeDs: "demo-3-three-ds" })

      const confirmation = await readConfirmation(page)
      await screenshot(page, "demo-4-confirmation")
      expect(confirmation.orderId).toMatch(/^order_/)
      expect(confirmation.total).toBe("UZS 375,000") // 350,000 + 25,000 shipping
      expect(confirmation.card).toBe("411111******1111")
      expect(confirmation.rrn).toMatch(/^\d{12}$/)
      expect(page.url()).toBe(`${demo!.storefrontUrl}/order/${confirmation.orderId}`)

      // the RRN is PaySys's: the sandbox has the paid payment with it, for the cart's amount in tiyin
      const paid = (await sandboxTransactions()).find((t) => t.rrn === confirmation.rrn)
      expect(paid).toMatchObject({
        status: 2,
        amount: "37500000",
        currency: "uzs",
        card: { masked: "411111******1111" },
      })

      // last: the merchant finds the order in the admin, the RRN shown by the plugin's widget
      await logInToAdmin(page, demo!.adminUrl, demo!.admin)
      await page.goto(`${demo!.adminUrl}/orders/${confirmation.orderId}`)
      await page
        .getByText(confirmation.rrn, { exact: true })
        .first()
        .waitFor({ state: "visible", timeout: ADMIN_TIMEOUT })
      await page.getByText(confirmation.rrn, { exact: true }).first().scrollIntoViewIfNeeded()
      await screenshot(page, "demo-5-admin-order")
    } catch (error) {
      await screenshot(page, "demo-failure-paid").catch(() => undefined)
      throw error
    } finally {
      await page.context().close()
    }
  })

  it("pays with UzCard on PaySys's page (card, expiry, SMS code): back in the store, the order is placed with a captured form payment", async () => {
    const page = await newPage()
    try {
      await addToCart(page, demo!.storefrontUrl, "UZS", "suzani-cushion")
      await checkoutToCardForm(page)
      // both methods offered: the card form first, PaySys's page a choice away
      expect(
        await page
          .locator('input[name="payment-method"]')
          .evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value))
      ).toEqual(["card", "form"])
      await screenshot(page, "demo-10-payment-methods")
      await payOnPaysysPage(page, "8600 0000 0000 0001", {
        card: "demo-11-form-card",
        sms: "demo-12-form-sms",
        result: "demo-13-form-result",
      })

      // the return page completed the cart from what PaySys said (Pay and Notify in the ledger, or its status API)
      await page.locator("#confirmation").waitFor()
      await screenshot(page, "demo-14-form-confirmation")
      const orderId = (await page.locator("#order-id").innerText()).trim()
      expect(orderId).toMatch(/^order_/)
      expect(page.url()).toBe(`${demo!.storefrontUrl}/order/${orderId}`)
      expect((await page.locator("#order-total").innerText()).replace(/\s+/g, " ")).toBe("UZS 375,000")
      expect(await page.locator("#order-method").innerText()).toBe("PaySys's payment page (UZCARD)")

      // in Medusa: the order, paid by one captured PaySys-form payment of the cart's total
      const admin = await adminClient(demo!.medusaUrl, demo!.admin)
      const { data } = await admin.get(`/admin/orders/${orderId}`, {
        params: {
          fields: "id,total,payment_status,*payment_collections.payments,*payment_collections.payments.captures",
        },
      })
      expect(data.order.payment_status).toBe("captured")
      expect(data.order.total).toBe(375_000)
      const payments = data.order.payment_collections.flatMap((c: { payments: unknown[] }) => c.payments)
      expect(payments).toHaveLength(1)
      expect(payments[0]).toMatchObject({ provider_id: "pp_paysys-form_paysys-form", amount: 375_000 })
      expect(payments[0].captures.map((c: { amount: number }) => c.amount)).toEqual([375_000])

      // at PaySys: the form payment of that order, paid, in whole sum
      const transId = payments[0].data.partner_trans_id
      const { data: sandbox } = await axios.get(`${demo!.sandboxUrl}/__sandbox/form/payments`, {
        params: { merchant_trans_id: transId },
      })
      expect(sandbox.payments).toEqual([
        expect.objectContaining({ status: "paid", amount: "375000", currency: "sum", payment_name: "uzcard" }),
      ])
      expect(String(payments[0].data.transaction_id)).toBe(String(sandbox.payments[0].agr_trans_id))
    } catch (error) {
      await screenshot(page, "demo-failure-form").catch(() => undefined)
      throw error
    } finally {
      await page.context().close()
    }
  })

  it.each(LANGUAGES)(
    "[%s] a declined card shows PaySys's reason, and the shopper pays with another card",
    async (language) => {
      const text = KIT_TEXT[language]
      const page = await newPage()
      try {
        await addToCart(page, demo!.storefrontUrl, "USD", "atlas-scarf")
        await chooseLanguage(page, language)
        await checkoutToCardForm(page)
        expect(await page.locator('label[for="card-number"]').innerText()).toBe(text.cardNumber)

        // the kit's card rules, before anything is sent: an UzCard number is pointed elsewhere
        await page.locator("#card-number").fill("8600 1234 5678 9012")
        await page.locator("#card-pay").click()
        expect(await page.locator("#card-number-error").innerText()).toMatch(text.uzcard)
        expect(await page.locator("#card-number").getAttribute("aria-invalid")).toBe("true")
        expect(new URL(page.url()).pathname).toBe("/checkout")

        await payWithCard(page, "4000 0000 0000 0002")

        // back on the storefront: card_declined from payment_session.data.error, the card form again
        const error = page.locator("#payment-error")
        await error.waitFor()
        expect(await error.innerText()).toContain(text.declined)
        expect(await error.innerText()).toMatch(/the card was declined/i) // never PaySys's reason
        expect(new URL(page.url()).pathname).toBe("/checkout")
        expect(await page.locator("#card-number").inputValue()).toBe("")
        await screenshot(page, `demo-6-declined-${language}`)

        await payWithCard(page, "5555 5555 5555 4444")
        const confirmation = await readConfirmation(page)
        await screenshot(page, `demo-7-paid-after-decline-${language}`)
        expect(confirmation.card).toBe("555555******4444")
        expect(confirmation.total).toBe("$4.68") // 2.675 + 2 shipping, as PaySys charges it: 468 cents
        expect(confirmation.rrn).toMatch(/^\d{12}$/)

        // at PaySys: two attempts on the same session, the first declined, the second paid
        const transactions = await sandboxTransactions()
        const second = transactions.find((t) => t.rrn === confirmation.rrn)!
        expect(second).toMatchObject({ status: 2, amount: "468", currency: "usd" })
        const session = second.partner_trans_id.replace(/-\d+$/, "")
        expect(transactions.find((t) => t.partner_trans_id === `${session}-1`)).toMatchObject({
          status: -1,
          card: { masked: "400000******0002" },
        })
      } catch (error) {
        await screenshot(page, `demo-failure-declined-${language}`).catch(() => undefined)
        throw error
      } finally {
        await page.context().close()
      }
    }
  )

  it.each(LANGUAGES)(
    "[%s] a signed-in shopper saves a card through 3-D Secure and pays with it in one click",
    async (language) => {
      const text = KIT_TEXT[language]
      const page = await newPage()
      try {
        await page.goto(demo!.storefrontUrl)
        await page.locator("[data-product]").first().waitFor()
        await chooseLanguage(page, language)
        await signUpAndSaveCard(
          page,
          demo!.storefrontUrl,
          `shopper-${language}-${Date.now()}@example.uz`,
          "5555 5555 5555 4444"
        )
        await screenshot(page, `demo-8-saved-card-${language}`)

        await addToCart(page, demo!.storefrontUrl, "UZS", "suzani-cushion")
        await checkoutToCardForm(page)
        const saved = page.locator("#saved-cards")
        await saved.locator(".paysys-masked", { hasText: "555555******4444" }).waitFor()
        expect(await saved.locator("legend").innerText()).toBe(text.savedCards)
        await page.locator("#pay-saved-card").click()

        const confirmation = await readConfirmation(page)
        await screenshot(page, `demo-9-paid-with-saved-card-${language}`)
        expect(confirmation.card).toBe("555555******4444")
        expect(confirmation.total).toBe("UZS 375,000")
        expect(confirmation.rrn).toMatch(/^\d{12}$/)
        const paid = (await sandboxTransactions()).find((t) => t.rrn === confirmation.rrn)
        expect(paid).toMatchObject({
          status: 2,
          amount: "37500000",
          currency: "uzs",
          card: { masked: "555555******4444" },
        })
      } catch (error) {
        await screenshot(page, `demo-failure-saved-card-${language}`).catch(() => undefined)
        throw error
      } finally {
        await page.context().close()
      }
    }
  )
})

async function distinctFreePorts() {
  const ports = new Set<number>()
  while (ports.size < 3) {
    ports.add(await freePort())
  }
  const [medusa, storefront, sandbox] = [...ports]
  return { medusa, storefront, sandbox }
}

/** The demo's database on the tests' PostgreSQL (DB_HOST, set by the global setup): drop it. */
async function dropTestDatabase(dataDir: string) {
  const name = databaseNameFor(dataDir)
  const database = configuredDatabase()
  if (process.env.DB_HOST && database && name.startsWith("medusa_paysys_demo_")) {
    await dropDatabase(database, name)
  }
}
