import axios from "axios"
import { integrationTestRunner } from "../helpers/test-runner"
import { MERCHANT_API_PATHS, signedRequest } from "../../src/paysys-form"
import { formatAutotest, runAutotest } from "paysys-sandbox"
import { PAYSYS_FORM_PROVIDER_ID, seedStore, SeededStore } from "../../scripts/seed-store"
import { loginAdmin } from "../helpers/admin"
import { sandboxControl, STOREFRONT_URL, Storefront } from "../helpers/checkout"
import { FORM_SECRET, FORM_VENDOR_ID, orderOfCart, payOnForm } from "../helpers/hosted-form"
import { captureOutput } from "../helpers/output"
import { waitFor } from "../helpers/wait"

jest.setTimeout(300_000)

const output = captureOutput()

const VENDOR_ID = FORM_VENDOR_ID
const SECRET = FORM_SECRET

type LedgerAttempt = {
  partner_trans_id: string
  state: string
  outcome: string | null
  agr_trans_id: string | null
  vendor_trans_id: number
  form: { payment_name: string; environment: string; notified: number[] } | null
  history: { event: string }[]
}

/**
 * PaySys's hosted form, end to end: the storefront gets signed fields, the shopper pays on the
 * sandbox's form page, the sandbox calls the plugin's merchant API (Pay, Notify, Cancel...) on
 * this app's port, and the ledger and Medusa end as PaySys says.
 */
integrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    let store: SeededStore
    let storefront: Storefront
    let admin: { headers: Record<string, string> }
    const sandbox = sandboxControl()
    const merchantApi = `http://localhost:${process.env.PORT}/hooks/paysys-form`

    beforeAll(async () => {
      store = await seedStore(getContainer())
      storefront = new Storefront(api, store)
      admin = await loginAdmin(api, getContainer())
    })

    beforeEach(async () => {
      await sandbox.post("/reset")
    })

    /** A cart with a form session: what the storefront gets. */
    async function formSession(returnUrl = `${STOREFRONT_URL}/checkout/paysys-return`) {
      const cart = await storefront.cartReadyForPayment("uzs", [
        { variantId: store.products[0].variantId, quantity: 1 },
      ])
      const { data } = await api.post("/store/payment-collections", { cart_id: cart.id }, storefront.headers)
      const created = await api.post(
        `/store/payment-collections/${data.payment_collection.id}/payment-sessions`,
        { provider_id: PAYSYS_FORM_PROVIDER_ID, data: { return_url: returnUrl } },
        storefront.headers
      )
      const session = created.data.payment_collection.payment_sessions.find(
        (s: { provider_id: string }) => s.provider_id === PAYSYS_FORM_PROVIDER_ID
      )
      return { cart, session, total: Number((await storefront.cart(cart.id)).total) }
    }

    function call(path: string, body: unknown, contentType = "application/json") {
      return axios.post(`${merchantApi}/${path}`, typeof body === "string" ? body : JSON.stringify(body), {
        headers: { "content-type": contentType },
        validateStatus: () => true,
      })
    }

    const attempt = async (partnerTransId: string): Promise<LedgerAttempt> =>
      (await dbConnection.raw(`select * from paysys_attempt where partner_trans_id = ?`, [partnerTransId])).rows[0]

    const orderOf = (cartId: string) => orderOfCart(getContainer(), cartId)

    async function orderPayment(orderId: string) {
      const { data } = await api.get(
        `/admin/orders/${orderId}?fields=id,payment_status,*payment_collections.payments,*payment_collections.payments.refunds,*payment_collections.payments.captures`,
        admin
      )
      return { order: data.order, payment: data.order.payment_collections[0].payments[0] }
    }

    const sandboxPayment = async (merchantTransId: string) =>
      (await sandbox.get(`/form/payments?merchant_trans_id=${encodeURIComponent(merchantTransId)}`)).data.payments[0]

    const pay = (fields: Record<string, string | number>) =>
      signedRequest("pay", SECRET, {
        VENDOR_ID: VENDOR_ID,
        PAYMENT_ID: 9,
        PAYMENT_NAME: "uzcard",
        ENVIRONMENT: "sandbox",
        SIGN_TIME: Date.now(),
        ...fields,
      } as never)

    describe("a session", () => {
      it("holds the form URL and the signed fields naming its ledger attempt, never the secret", async () => {
        const { session, total } = await formSession()
        const { form_url, form_fields } = session.data
        expect(form_url).toBe(`${process.env.PAYSYS_SANDBOX_URL}/form`)
        expect(form_fields).toMatchObject({
          VENDOR_ID,
          MERCHANT_TRANS_ID: `${session.id}-1`,
          MERCHANT_TRANS_AMOUNT: String(total),
          MERCHANT_CURRENCY: "sum",
          MERCHANT_TRANS_RETURN_URL: `${STOREFRONT_URL}/checkout/paysys-return`,
        })
        expect(form_fields.SIGN_STRING).toMatch(/^[0-9a-f]{32}$/)
        expect(JSON.stringify(session.data)).not.toContain(SECRET)
        expect((await attempt(`${session.id}-1`)).state).toBe("open")
      })

      it("refuses a return URL off the store's origins, and any other data", async () => {
        const cart = await storefront.cartReadyForPayment("uzs", [
          { variantId: store.products[0].variantId, quantity: 1 },
        ])
        const { data } = await api.post("/store/payment-collections", { cart_id: cart.id }, storefront.headers)
        const url = `/store/payment-collections/${data.payment_collection.id}/payment-sessions`
        const evil = await api.post(
          url,
          { provider_id: PAYSYS_FORM_PROVIDER_ID, data: { return_url: "https://evil.example/x" } },
          { ...storefront.headers, validateStatus: () => true }
        )
        expect(evil.status).toBe(400)
        expect(evil.data.message).toMatch(/data.return_url/)
        const other = await api.post(
          url,
          { provider_id: PAYSYS_FORM_PROVIDER_ID, data: { card_number: "4111111111111111" } },
          { ...storefront.headers, validateStatus: () => true }
        )
        expect(other.status).toBe(400)
        expect(other.data.message).toMatch(/^data.card_number/)
      })
    })

    describe("a payment", () => {
      it("places the order through Notify alone, the shopper never returning", async () => {
        const { cart, session } = await formSession()
        const page = await payOnForm(session.data.form_url, session.data.form_fields)
        expect(page).toMatch(/data-outcome="success"/)
        const orderId = await waitFor("the order placed by Notify 2", () => orderOf(cart.id))
        const { order, payment } = await orderPayment(orderId)
        expect(order.payment_status).toBe("captured")
        expect(payment.provider_id).toBe(PAYSYS_FORM_PROVIDER_ID)
        const row = await waitFor("the attempt captured", async () => {
          const current = await attempt(`${session.id}-1`)
          return current.state === "captured" && current
        })
        expect(row).toMatchObject({
          state: "captured",
          form: { payment_name: "uzcard", environment: "sandbox", notified: [2] },
        })
        expect(row.agr_trans_id).toBe(String((await sandboxPayment(`${session.id}-1`)).agr_trans_id))
      })

      it("the shopper returning before Notify completes the cart from the status API; the late Notify changes nothing", async () => {
        await sandbox.post("/callbacks", { mode: "hold", kind: "form" })
        const { cart, session } = await formSession()
        await payOnForm(session.data.form_url, session.data.form_fields)
        const completed = await storefront.complete(cart.id)
        expect(completed.data.type).toBe("order")
        expect((await attempt(`${session.id}-1`)).form!.notified).toEqual([])
        await sandbox.post("/callbacks/flush", {})
        // already paid from the status API: the Notify is answered 0 and changes nothing
        await waitFor("Notify 2 answered", async () =>
          (await attempt(`${session.id}-1`)).history.some((h) => h.event === "Notify 2 again")
        )
        await sandbox.post("/callbacks", { mode: "normal" })
        const { data } = await api.get(`/admin/orders?fields=id&limit=100`, admin)
        expect(data.orders.filter((o: { id: string }) => o.id === completed.data.order.id)).toHaveLength(1)
        expect(await orderOf(cart.id)).toBe(completed.data.order.id)
      })

      it("a shopper returning without paying gets no order: the return proves nothing", async () => {
        const { cart } = await formSession()
        const completed = await storefront.complete(cart.id)
        expect(completed.data.type).not.toBe("order")
        expect(await orderOf(cart.id)).toBeNull()
      })
    })

    describe("Pay and Notify, repeated and out of order", () => {
      it("Pay again gets the same VENDOR_TRANS_ID; another AGR_TRANS_ID -4; Notify repeated 0; Notify 2 after 3 stays cancelled", async () => {
        const { session, total } = await formSession()
        const order = `${session.id}-1`
        const first = await call(
          "pay",
          pay({ AGR_TRANS_ID: 770001, MERCHANT_TRANS_ID: order, MERCHANT_TRANS_AMOUNT: total })
        )
        expect(first.status).toBe(200)
        expect(first.data).toEqual({ ERROR: 0, ERROR_NOTE: "Success", VENDOR_TRANS_ID: expect.any(Number) })
        const again = await call(
          "pay",
          pay({ AGR_TRANS_ID: 770001, MERCHANT_TRANS_ID: order, MERCHANT_TRANS_AMOUNT: total })
        )
        expect(again.data).toEqual(first.data)
        const other = await call(
          "pay",
          pay({ AGR_TRANS_ID: 770002, MERCHANT_TRANS_ID: order, MERCHANT_TRANS_AMOUNT: total })
        )
        expect(other.data).toEqual({ ERROR: -4, ERROR_NOTE: "Already paid" })
        const vendorTransId = first.data.VENDOR_TRANS_ID
        const notify = (status: number) =>
          signedRequest("notify", SECRET, {
            AGR_TRANS_ID: 770001,
            VENDOR_TRANS_ID: vendorTransId,
            STATUS: status,
            SIGN_TIME: Date.now(),
          })
        expect((await call("notify", notify(3))).data).toEqual({ ERROR: 0, ERROR_NOTE: "Success" })
        expect((await call("notify", notify(3))).data).toEqual({ ERROR: 0, ERROR_NOTE: "Success" })
        expect((await call("notify", notify(2))).data).toEqual({ ERROR: 0, ERROR_NOTE: "Success" })
        const row = await attempt(order)
        expect(row.form!.notified).toEqual([3])
        expect(row.state).toBe("reversed")
        expect(row.history.map((h) => h.event)).toEqual(
          expect.arrayContaining(["Pay accepted", "Notify 3 recorded", "Notify 3 again", "Notify 2 again"])
        )
        const cancel = signedRequest("cancel", SECRET, {
          AGR_TRANS_ID: 770001,
          VENDOR_TRANS_ID: vendorTransId,
          SIGN_TIME: Date.now(),
        })
        expect((await call("cancel", cancel)).data).toEqual({ ERROR: -9, ERROR_NOTE: "Transaction cancelled" })
      })
    })

    it("a cart changed after the form opened: the old form's Pay is refused (-9), nothing is debited", async () => {
      const { cart, session, total } = await formSession()
      await api.post(
        `/store/carts/${cart.id}/line-items`,
        { variant_id: store.products[1].variantId, quantity: 1 },
        storefront.headers
      )
      const newTotal = Number((await storefront.cart(cart.id)).total)
      expect(newTotal).toBeGreaterThan(total)
      const old = await call(
        "pay",
        pay({ AGR_TRANS_ID: 770101, MERCHANT_TRANS_ID: `${session.id}-1`, MERCHANT_TRANS_AMOUNT: total })
      )
      expect(old.data).toEqual({ ERROR: -9, ERROR_NOTE: "Transaction cancelled" })
      expect((await attempt(`${session.id}-1`)).agr_trans_id).toBeNull()
    })

    it("the shopper switched to the card after opening the form: the form's Pay is refused (-9)", async () => {
      const { cart, session, total } = await formSession()
      await storefront.startPaysysSession(cart.id)
      const old = await call(
        "pay",
        pay({ AGR_TRANS_ID: 770201, MERCHANT_TRANS_ID: `${session.id}-1`, MERCHANT_TRANS_AMOUNT: total })
      )
      expect(old.data).toEqual({ ERROR: -9, ERROR_NOTE: "Transaction cancelled" })
    })

    describe("refusals, each with the documented code, HTTP 200 JSON", () => {
      it.each(Object.values(MERCHANT_API_PATHS))(
        "%s: garbage body -8, missing fields -8, wrong signature -1",
        async (path) => {
          const garbage = await call(path, "this is not json{", "application/json")
          expect(garbage.status).toBe(200)
          expect(garbage.headers["content-type"]).toMatch(/application\/json/)
          expect(garbage.data).toEqual({ ERROR: -8, ERROR_NOTE: "Error in request" })
          expect((await call(path, {})).data).toEqual({ ERROR: -8, ERROR_NOTE: "Error in request" })
          const bodies: Record<string, Record<string, unknown>> = {
            info: { MERCHANT_TRANS_ID: "x-1" },
            pay: {
              VENDOR_ID,
              PAYMENT_ID: 9,
              PAYMENT_NAME: "uzcard",
              AGR_TRANS_ID: 1,
              MERCHANT_TRANS_ID: "x-1",
              MERCHANT_TRANS_AMOUNT: 1,
              ENVIRONMENT: "sandbox",
            },
            notify: { AGR_TRANS_ID: 1, VENDOR_TRANS_ID: 1, STATUS: 2 },
            cancel: { AGR_TRANS_ID: 1, VENDOR_TRANS_ID: 1 },
            statement: { FROM: 1, TO: 2 },
            fiscalization: { AGR_TRANS_ID: 1, TYPE: "PAYMENT" },
          }
          const forged = { ...bodies[path], SIGN_TIME: Date.now(), SIGN_STRING: "0".repeat(32) }
          expect((await call(path, forged)).data).toEqual({ ERROR: -1, ERROR_NOTE: "SIGN CHECK FAILED!" })
        }
      )

      it("Pay: unknown order -5, wrong amount -2, another VENDOR_ID -10; Info unknown -5; Notify and Cancel unknown -6", async () => {
        const { session, total } = await formSession()
        const order = `${session.id}-1`
        expect(
          (await call("pay", pay({ AGR_TRANS_ID: 1, MERCHANT_TRANS_ID: "-01", MERCHANT_TRANS_AMOUNT: total }))).data
        ).toEqual({ ERROR: -5, ERROR_NOTE: "User does not exist" })
        expect(
          (await call("pay", pay({ AGR_TRANS_ID: 1, MERCHANT_TRANS_ID: order, MERCHANT_TRANS_AMOUNT: total + 1 }))).data
        ).toEqual({ ERROR: -2, ERROR_NOTE: "Incorrect parameter amount" })
        expect(
          (
            await call(
              "pay",
              pay({ AGR_TRANS_ID: 1, MERCHANT_TRANS_ID: order, MERCHANT_TRANS_AMOUNT: total, VENDOR_ID: 999 })
            )
          ).data
        ).toEqual({ ERROR: -10, ERROR_NOTE: "The vendor is not found" })
        expect(
          (await call("info", signedRequest("info", SECRET, { MERCHANT_TRANS_ID: "-01", SIGN_TIME: Date.now() }))).data
        ).toEqual({ ERROR: -5, ERROR_NOTE: "User does not exist" })
        expect(
          (await call("info", signedRequest("info", SECRET, { MERCHANT_TRANS_ID: order, SIGN_TIME: Date.now() }))).data
        ).toEqual({ ERROR: 0, ERROR_NOTE: "Success", PARAMETERS: { order, amount: total } })
        const unknown = { AGR_TRANS_ID: 999_999_999, VENDOR_TRANS_ID: 1, SIGN_TIME: Date.now() }
        expect((await call("notify", signedRequest("notify", SECRET, { ...unknown, STATUS: 2 }))).data).toEqual({
          ERROR: -6,
          ERROR_NOTE: "Transaction does not exist",
        })
        expect((await call("cancel", signedRequest("cancel", SECRET, unknown))).data).toEqual({
          ERROR: -6,
          ERROR_NOTE: "Transaction does not exist",
        })
        expect((await attempt(order)).agr_trans_id).toBeNull()
      })
    })

    describe("a cancellation, and PaySys's reconciliation", () => {
      it("a Cancel of a paid order is recorded once as a Medusa refund; Statement lists it field by field", async () => {
        const { cart, session, total } = await formSession()
        await payOnForm(session.data.form_url, session.data.form_fields)
        const orderId = await waitFor("the order", () => orderOf(cart.id))
        const paid = await sandboxPayment(`${session.id}-1`)
        const statementPaid = (await sandbox.post("/form/statement", {})).data
        expect(statementPaid.answer.ERROR).toBe(0)
        expect(statementPaid.problems).toEqual([])
        expect(statementPaid.answer.TRANSACTIONS).toContainEqual({
          ENVIRONMENT: "sandbox",
          AGR_TRANS_ID: Number(paid.agr_trans_id),
          VENDOR_TRANS_ID: (await attempt(`${session.id}-1`)).vendor_trans_id,
          MERCHANT_TRANS_ID: `${session.id}-1`,
          MERCHANT_TRANS_AMOUNT: total,
          STATE: 2,
          DATE: expect.any(Number),
        })

        const cancelled = (await sandbox.post("/form/cancel", { agr_trans_id: paid.agr_trans_id })).data
        expect(cancelled.answer).toEqual({ ERROR: 0, ERROR_NOTE: "Success" })
        const refunded = await waitFor("the Medusa refund", async () => {
          const { payment } = await orderPayment(orderId)
          return payment.refunds?.length ? payment : null
        })
        // the Cancel made it cancelled: the Notify 3 that follows is answered 0 and changes nothing
        await waitFor("Notify 3 answered", async () =>
          (await attempt(`${session.id}-1`)).history.some((h) => h.event === "Notify 3 again")
        )
        expect(refunded.refunds).toHaveLength(1)
        expect(Number(refunded.refunds[0].amount)).toBe(total)
        const again = (await sandbox.post("/form/cancel", { agr_trans_id: paid.agr_trans_id })).data
        expect(again.answer).toEqual({ ERROR: -9, ERROR_NOTE: "Transaction cancelled" })
        const { payment } = await orderPayment(orderId)
        expect(payment.refunds).toHaveLength(1)
        const rows = (
          await dbConnection.raw(`select * from paysys_refund where partner_trans_id = ?`, [`${session.id}-1`])
        ).rows
        expect(rows).toHaveLength(1)
        const statement = (await sandbox.post("/form/statement", {})).data
        expect(statement.problems).toEqual([])
        expect(
          statement.answer.TRANSACTIONS.find(
            (t: { AGR_TRANS_ID: number }) => t.AGR_TRANS_ID === Number(paid.agr_trans_id)
          ).STATE
        ).toBe(3)
      })

      it("an admin refund of a form payment is refused with what to do, and records nothing", async () => {
        const { cart, session } = await formSession()
        await payOnForm(session.data.form_url, session.data.form_fields)
        const orderId = await waitFor("the order", () => orderOf(cart.id))
        const { payment } = await orderPayment(orderId)
        const refund = await api.post(
          `/admin/payments/${payment.id}/refund`,
          { amount: 1000 },
          { ...admin, validateStatus: () => true }
        )
        expect(refund.status).toBeGreaterThanOrEqual(400)
        expect(refund.data.message).toMatch(/refund this payment in the PaySys cabinet/)
        expect((await orderPayment(orderId)).payment.refunds ?? []).toHaveLength(0)
      })
    })

    describe("Fiscalization", () => {
      it("answers the order's receipt field by field: items at unit price with IKPU and VAT from metadata, shipping; the sum rule holds", async () => {
        const { cart, session, total } = await formSession()
        await payOnForm(session.data.form_url, session.data.form_fields)
        const orderId = await waitFor("the order", () => orderOf(cart.id))
        const { agr_trans_id } = await sandboxPayment(`${session.id}-1`)
        const { data } = await sandbox.post("/form/fiscalization", { agr_trans_id })
        expect(data.problems).toEqual([])
        expect(data.answer).toEqual({
          ERROR: 0,
          ERROR_NOTE: "Success",
          PARAMETERS: {
            type: 0,
            items: [
              { title: "Suzani cushion", price: 350_000, count: 1, code: "06303001001000000", vat_percent: 12 },
              { title: "Courier (UZS)", price: 25_000, count: 1, code: "10112006002000000" },
            ],
          },
        })
        expect(total).toBe(375_000)
        expect((await attempt(`${session.id}-1`)).form).toMatchObject({ receipts: { PAYMENT: data.answer.PARAMETERS } })
        const wrongType = (await sandbox.post("/form/fiscalization", { agr_trans_id, type: "REFUND" })).data
        expect(wrongType.answer).toEqual({ ERROR: -11, ERROR_NOTE: "Transaction type is not correct" })

        // the admin panel shows the form's side of it
        const panel = (await api.get(`/admin/paysys/orders/${orderId}`, admin)).data.paysys
        expect(panel.provider_id).toBe(PAYSYS_FORM_PROVIDER_ID)
        expect(panel.form).toMatchObject({
          agr_trans_id: String(agr_trans_id),
          payment_name: "uzcard",
          environment: "sandbox",
          receipt: data.answer.PARAMETERS,
        })
        expect(panel.form.callbacks.map((c: { event: string }) => c.event)).toEqual(
          expect.arrayContaining(["Pay accepted", "Notify 2 recorded", "Fiscalization PAYMENT answered"])
        )
      })

      it("a product without an IKPU code: -7, and the attempt's history names the product", async () => {
        const product = (await api.get(`/admin/products?handle=rishtan-bowl&fields=id,metadata`, admin)).data
          .products[0]
        await api.post(`/admin/products/${product.id}`, { metadata: { ikpu_code: "" } }, admin)
        try {
          const cart = await storefront.cartReadyForPayment("uzs", [
            { variantId: store.products[1].variantId, quantity: 2 },
          ])
          const { data } = await api.post("/store/payment-collections", { cart_id: cart.id }, storefront.headers)
          const created = await api.post(
            `/store/payment-collections/${data.payment_collection.id}/payment-sessions`,
            { provider_id: PAYSYS_FORM_PROVIDER_ID },
            storefront.headers
          )
          const session = created.data.payment_collection.payment_sessions[0]
          await payOnForm(session.data.form_url, session.data.form_fields)
          await waitFor("the order", () => orderOf(cart.id))
          const { agr_trans_id } = await sandboxPayment(`${session.id}-1`)
          const answer = (await sandbox.post("/form/fiscalization", { agr_trans_id })).data.answer
          expect(answer).toEqual({ ERROR: -7, ERROR_NOTE: "Failed to update user" })
          const failed = (await attempt(`${session.id}-1`)).history.find(
            (h) => h.event === "Fiscalization PAYMENT failed"
          ) as { detail?: string }
          expect(failed.detail).toMatch(
            /product "Rishtan ceramic bowl" \(prod_\w+\) has no IKPU code: set metadata.ikpu_code/
          )
        } finally {
          await api.post(`/admin/products/${product.id}`, { metadata: { ikpu_code: "06912001001000000" } }, admin)
        }
      })
    })

    describe("paysys-sandbox autotest", () => {
      it("passes against the plugin", async () => {
        const { session, total } = await formSession()
        const results = await runAutotest({
          baseUrl: merchantApi,
          vendorId: VENDOR_ID,
          secretKey: SECRET,
          order: `${session.id}-1`,
          amount: String(total),
        })
        const failed = results.filter((r) => r.outcome === "fail")
        if (failed.length) {
          console.log(formatAutotest(results))
        }
        expect(failed).toEqual([])
        expect(results.filter((r) => r.outcome === "pass").length).toBeGreaterThan(10)
      })
    })

    // last: after every call above
    it("the form's secret key never reached a log line", () => {
      expect(output.text()).not.toContain(SECRET)
    })
  },
})
