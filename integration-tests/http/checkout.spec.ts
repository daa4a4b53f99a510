import { integrationTestRunner } from "../helpers/test-runner"
import { CARD_DECLINED } from "../../src/paysys"
import { seedStore, SeededStore } from "../../scripts/seed-store"
import { loginAdmin } from "../helpers/admin"
import {
  anyFormOf,
  card,
  CARDS,
  dashed,
  passThreeDs,
  sandboxControl,
  sandboxPaysysClient,
  STOREFRONT_URL,
  Storefront,
  THREE_DS_CODE,
} from "../helpers/checkout"
import { dumpDatabase } from "../helpers/database-dump"
import { captureOutput } from "../helpers/output"

jest.setTimeout(180_000)

const output = captureOutput()

integrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    let store: SeededStore
    let storefront: Storefront
    let admin: { headers: Record<string, string> }

    beforeAll(async () => {
      store = await seedStore(getContainer())
      storefront = new Storefront(api, store)
      admin = await loginAdmin(api, getContainer())
    })

    // every test's data is dropped before the next: search it while it is there
    let tablesSearched = 0
    afterEach(async () => {
      const dump = await dumpDatabase(dbConnection)
      for (const number of Object.values(CARDS)) {
        expect(dump).not.toMatch(anyFormOf(number))
      }
      expect(dump).not.toMatch(/"737"|card_cvc|card_number/)
      tablesSearched++
    })

    /** cart -> session -> card -> 3-D Secure: returns what the storefront would have. */
    async function payToThreeDs(currency: "uzs" | "usd", number: string, quantity = 1, product = 0) {
      const cart = await storefront.cartReadyForPayment(currency, [
        { variantId: store.products[product].variantId, quantity },
      ])
      const session = await storefront.startPaysysSession(cart.id)
      const posted = await storefront.postCard(session.id, card(number))
      expect(posted.status).toBe(200)
      return { cart, session, posted: posted.data }
    }

    async function orderWithPayment(orderId: string) {
      const { data } = await api.get(
        `/admin/orders/${orderId}?fields=id,payment_status,total,currency_code,*payment_collections,*payment_collections.payments,*payment_collections.payments.captures,*payment_collections.payments.refunds`,
        admin
      )
      return { order: data.order, payment: data.order.payment_collections[0].payments[0] }
    }

    describe("a shopper pays by card with 3-D Secure", () => {
      it.each([
        ["uzs", 0, "2"], // 350,000 + 25,000 sum shipping -> 37,500,000 tiyin
        ["usd", 2, "3"], // 2.675 + 2 shipping = 4.675 usd -> 468 cents, rounded half up
      ] as const)("%s: card -> 3DS -> complete -> order with a captured payment", async (currency, product, _) => {
        const { cart, session, posted } = await payToThreeDs(currency, CARDS.visa, 1, product)
        expect(posted.confirm_url).toMatch(/\/3ds\//)
        expect(posted.payment_session.data).toMatchObject({
          partner_trans_id: `${session.id}-1`,
          card_masked: "411111******1111",
          paysys_status: 0,
        })

        const threeDs = await passThreeDs(posted.confirm_url, { code: THREE_DS_CODE })
        expect(threeDs.location).toBe(`${STOREFRONT_URL}/checkout/paysys-return`)

        const completed = await storefront.complete(cart.id)
        expect(completed.status).toBe(200)
        expect(completed.data.type).toBe("order")
        const { order, payment } = await orderWithPayment(completed.data.order.id)
        expect(order.payment_status).toBe("captured")
        expect(payment.captures).toHaveLength(1)
        expect(payment.data).toMatchObject({
          paysys_status: 2,
          card_masked: "411111******1111",
          rrn: expect.stringMatching(/^\d{12}$/),
          approval_code: expect.any(String),
        })

        const atPaysys = await sandboxPaysysClient().checkPayment({ partner_trans_id: payment.data.partner_trans_id })
        expect(atPaysys.status).toBe(2)
        const expectedMinor = currency === "uzs" ? "37500000" : "468"
        expect(payment.data.amount).toBe(expectedMinor)
      })
    })

    describe("a failed payment leaves the cart completable with another card", () => {
      async function expectRetryWorks(cartId: string, sessionId: string, failedAttempt: number) {
        const retry = await storefront.postCard(sessionId, card(CARDS.mastercard))
        expect(retry.status).toBe(200)
        expect(retry.data.payment_session.data.partner_trans_id).toBe(`${sessionId}-${failedAttempt + 1}`)
        await passThreeDs(retry.data.confirm_url, { code: THREE_DS_CODE })
        const completed = await storefront.complete(cartId)
        expect(completed.status).toBe(200)
        expect(completed.data.order.payment_status ?? "captured").toBe("captured")
      }

      it.each([
        ["a declined card", CARDS.declined, { code: THREE_DS_CODE }, /declined/i],
        ["insufficient funds", CARDS.insufficientFunds, { code: THREE_DS_CODE }, /insufficient/i],
        ["a wrong 3DS code", CARDS.visa, { code: "000000" }, /3-D Secure/i],
        ["3DS abandoned with Cancel", CARDS.visa, "cancel", /cancel/i],
        ["3DS failing for the card", CARDS.threeDsFails, { code: THREE_DS_CODE }, /3-D Secure/i],
      ] as const)("%s", async (_, number, outcome, message) => {
        const { cart, session, posted } = await payToThreeDs("uzs", number)
        await passThreeDs(posted.confirm_url, outcome)

        const completed = await storefront.complete(cart.id)
        expect(completed.status).toBeGreaterThanOrEqual(400)
        expect(completed.status).toBeLessThan(500)
        const { data } = await api.get(
          `/store/carts/${cart.id}?fields=*payment_collection.payment_sessions`,
          storefront.headers
        )
        const failed = data.cart.payment_collection.payment_sessions[0]
        expect(failed.status).toBe("error")
        // the storefront learns that the card was declined, never PaySys's reason: the ledger keeps that
        expect(failed.data.error).toEqual(CARD_DECLINED)
        const { rows } = await dbConnection.raw(`select bank from paysys_attempt where session_id = ?`, [session.id])
        expect(rows[0].bank.error.message).toMatch(message)
        expect(JSON.stringify(failed.data)).not.toContain(rows[0].bank.error.message)
        expect(failed.data.three_ds).toBeNull()

        await expectRetryWorks(cart.id, session.id, 1)
      })

      it("3DS never finished: the cart is not completed, and another card works", async () => {
        const { cart, session } = await payToThreeDs("uzs", CARDS.visa)
        const completed = await storefront.complete(cart.id)
        expect(completed.status).toBe(400)
        expect(completed.data.message).toMatch(/not authorized/)
        await expectRetryWorks(cart.id, session.id, 1)
      })

      it("a payment already completed is not paid twice", async () => {
        const { session, posted } = await payToThreeDs("uzs", CARDS.visa)
        await passThreeDs(posted.confirm_url, { code: THREE_DS_CODE })
        const again = await storefront.postCard(session.id, card(CARDS.mastercard))
        expect(again.status).toBe(409)
        // completed at PaySys, or already authorized in Medusa if the notification was quicker
        expect(again.data.message).toMatch(/already (completed|authorized)/)
      })

      it("PaySys unreachable: a 502, the cause in the server's log without the card, and another try works", async () => {
        const cart = await storefront.cartReadyForPayment("uzs", [
          { variantId: store.products[0].variantId, quantity: 1 },
        ])
        const session = await storefront.startPaysysSession(cart.id)
        await sandboxControl().post("/faults", {
          kind: "http_5xx",
          method: "paysys.prepare_payment",
          count: 1,
          partnerTransId: `${session.id}-1`,
        })
        const logsBefore = output.text().length
        const posted = await storefront.postCard(session.id, card(CARDS.visa))
        expect(posted.status).toBe(502)
        expect(posted.data.type).toBe("paysys_unavailable")

        const logged = output
          .text()
          .slice(logsBefore)
          .split("\n")
          .filter((line) => line.includes("PaySys unavailable"))
        expect(logged).toHaveLength(1)
        expect(logged[0]).toMatch(/POST \/store\/paysys\/payment-sessions\/\S+\/card/)
        expect(logged[0]).toMatch(/paysys\.prepare_payment did not answer usably: http_status \(HTTP 503/)
        expect(logged[0]).not.toContain(CARDS.visa)
        expect(logged[0]).not.toMatch(/737/)

        const retry = await storefront.postCard(session.id, card(CARDS.visa))
        expect(retry.status).toBe(200)
      })

      it("PaySys over its request limit (HTTP 429): a 503 with Retry-After, the attempt never sent, and a later try works", async () => {
        const cart = await storefront.cartReadyForPayment("uzs", [
          { variantId: store.products[0].variantId, quantity: 1 },
        ])
        const session = await storefront.startPaysysSession(cart.id)
        const partnerTransId = `${session.id}-1`
        await sandboxControl().post("/faults", {
          kind: "rate_limited",
          method: "paysys.prepare_payment",
          count: 1,
          partnerTransId,
          retryAfterSeconds: 7,
        })
        const posted = await storefront.postCard(session.id, card(CARDS.visa))
        expect(posted.status).toBe(503)
        expect(posted.headers["retry-after"]).toBe("7")
        expect(posted.data).toEqual({ type: "paysys_busy", message: "PaySys is busy, try again in 7 seconds" })

        const { rows } = await dbConnection.raw(
          `select state, outcome, next_check_at from paysys_attempt where partner_trans_id = ?`,
          [partnerTransId]
        )
        expect(rows[0]).toMatchObject({ state: "never_sent", outcome: "never_reached_paysys", next_check_at: null })
        const { data } = await sandboxControl().get(`/calls?method=paysys.prepare_payment`)
        const sent = data.calls.filter((c: { partner_trans_id: string }) => c.partner_trans_id === partnerTransId)
        expect(sent.map((c: { outcome: string }) => c.outcome)).toEqual(["fault rate_limited"])

        const retry = await storefront.postCard(session.id, card(CARDS.visa))
        expect(retry.status).toBe(200)
      })

      it("PaySys echoes the card, with dashes, in its refusal: no full number in the answer, session, ledger or log", async () => {
        const cart = await storefront.cartReadyForPayment("uzs", [
          { variantId: store.products[0].variantId, quantity: 1 },
        ])
        const session = await storefront.startPaysysSession(cart.id)
        const partnerTransId = `${session.id}-1`
        await sandboxControl().post("/faults", {
          kind: "paysys_error",
          method: "paysys.prepare_payment",
          count: 1,
          partnerTransId,
          code: -31630,
          message: `Card ${dashed(CARDS.visa)} is blocked`,
        })
        const logsBefore = output.text().length
        const posted = await storefront.postCard(session.id, card(CARDS.visa))
        expect(posted.status).toBeGreaterThanOrEqual(400)
        expect(posted.status).toBeLessThan(500)
        expect(JSON.stringify(posted.data)).not.toMatch(anyFormOf(CARDS.visa))

        const { rows: sessions } = await dbConnection.raw(`select data from payment_session where id = ?`, [session.id])
        const { rows: attempts } = await dbConnection.raw(
          `select bank, history from paysys_attempt where partner_trans_id = ?`,
          [partnerTransId]
        )
        expect(attempts[0].bank.error).toEqual({ code: -31630, message: "Card 411111******1111 is blocked" })
        for (const stored of [sessions[0].data, attempts[0]]) {
          expect(JSON.stringify(stored)).not.toMatch(anyFormOf(CARDS.visa))
        }
        const logged = output.text().slice(logsBefore)
        expect(logged).toContain("411111******1111")
        expect(logged).not.toMatch(anyFormOf(CARDS.visa))
      })

      it("card after card on one session: PaySys is asked about one earlier attempt at most per card", async () => {
        const cart = await storefront.cartReadyForPayment("uzs", [
          { variantId: store.products[0].variantId, quantity: 1 },
        ])
        const session = await storefront.startPaysysSession(cart.id)
        const posts = 10
        for (let n = 1; n <= posts; n++) {
          const posted = await storefront.postCard(session.id, card(CARDS.visa))
          expect(posted.status).toBe(200)
          expect(posted.data.payment_session.data.partner_trans_id).toBe(`${session.id}-${n}`)
        }
        const { data } = await sandboxControl().get("/calls", { params: { method: "paysys.check_payment" } })
        const checks = data.calls.filter((call: { partner_trans_id: string | null }) =>
          call.partner_trans_id?.startsWith(`${session.id}-`)
        )
        // the first card has nothing to ask about; each later one asks about the card before it
        expect(checks.length).toBeLessThanOrEqual(posts - 1)
        expect(checks.map((call: { partner_trans_id: string }) => call.partner_trans_id)).toEqual(
          Array.from({ length: posts - 1 }, (_, n) => `${session.id}-${n + 1}`)
        )
      })

      it("an attempt whose answer was lost, or whose check fails, never stops the next card, whatever PaySys's error code", async () => {
        const cart = await storefront.cartReadyForPayment("uzs", [
          { variantId: store.products[0].variantId, quantity: 1 },
        ])
        const session = await storefront.startPaysysSession(cart.id)
        const sandbox = sandboxControl()
        try {
          // the first card's answer is lost: it stays sending, its confirm_url never reached the shopper
          await sandbox.post("/faults", {
            kind: "http_5xx",
            method: "paysys.prepare_payment",
            count: 1,
            partnerTransId: `${session.id}-1`,
          })
          expect((await storefront.postCard(session.id, card(CARDS.visa))).status).toBe(502)
          // PaySys answers a "not found" code the plugin does not know for it, and an error for the second
          const unknownCode = {
            kind: "paysys_error",
            method: "paysys.check_payment",
            code: -31050,
            message: "Transaction not found",
          }
          await sandbox.post("/faults", { ...unknownCode, partnerTransId: `${session.id}-1` })
          await sandbox.post("/faults", {
            ...unknownCode,
            code: -32000,
            message: "Internal error",
            partnerTransId: `${session.id}-2`,
          })

          const second = await storefront.postCard(session.id, card(CARDS.visa))
          expect(second.status).toBe(200)
          expect(second.data.payment_session.data.partner_trans_id).toBe(`${session.id}-2`)
          const third = await storefront.postCard(session.id, card(CARDS.visa))
          expect(third.status).toBe(200)
          expect(third.data.payment_session.data.partner_trans_id).toBe(`${session.id}-3`)

          const { data } = await sandbox.get("/calls", { params: { method: "paysys.check_payment" } })
          const asked = data.calls.map((call: { partner_trans_id: string | null }) => call.partner_trans_id)
          expect(asked).not.toContain(`${session.id}-1`)
          expect(asked.filter((id: string | null) => id === `${session.id}-2`)).toHaveLength(1)
        } finally {
          await sandbox.delete("/faults")
        }
      })

      it("an amount over PaySys's limit is refused before PaySys, and a smaller cart works", async () => {
        // 200 x 28 usd = 5,600 usd: PaySys takes at most 5,000 usd
        const cart = await storefront.cartReadyForPayment("usd", [
          { variantId: store.products[0].variantId, quantity: 200 },
        ])
        const collection = await api.post("/store/payment-collections", { cart_id: cart.id }, storefront.headers)
        const refused = await api.post(
          `/store/payment-collections/${collection.data.payment_collection.id}/payment-sessions`,
          { provider_id: "pp_paysys_paysys" },
          { ...storefront.headers, validateStatus: () => true }
        )
        expect(refused.status).toBe(400)
        expect(refused.data.message).toMatch(/at most 5000 USD/)

        const lineItem = cart.items[0]
        await api.post(`/store/carts/${cart.id}/line-items/${lineItem.id}`, { quantity: 2 }, storefront.headers)
        const session = await storefront.startPaysysSession(cart.id)
        const posted = await storefront.postCard(session.id, card(CARDS.visa))
        expect(posted.status).toBe(200)
        await passThreeDs(posted.data.confirm_url, { code: THREE_DS_CODE })
        expect((await storefront.complete(cart.id)).status).toBe(200)
      })

      it.each([
        ["card_number", { card_number: "4111111111111112" }, /valid card number/],
        ["card_number", { card_number: "378282246310005" }, /Visa, MasterCard or MIR/],
        ["card_number", { card_number: "41111" }, /12-19 digits/],
        ["card_expiry", { card_expiry: "13/30" }, /MM\/YY/],
        ["card_expiry", { card_expiry: "01/20" }, /expired/],
        ["card_cvc", { card_cvc: "12" }, /3 digits/],
        ["card_holder_name", { card_holder_name: "Азиз" }, /Latin/],
        ["redirect_url", { redirect_url: "https://evil.example/steal" }, /origin/],
        ["redirect_url", { redirect_url: "javascript:alert(1)" }, /http/],
      ])("malformed %s gets a 400 naming it, and nothing changes", async (field, override, message) => {
        const cart = await storefront.cartReadyForPayment("uzs", [
          { variantId: store.products[1].variantId, quantity: 1 },
        ])
        const session = await storefront.startPaysysSession(cart.id)
        const body = card(CARDS.visa, override)
        const refused = await storefront.postCard(session.id, body)
        expect(refused.status).toBe(400)
        expect(refused.data.message).toContain(field)
        expect(refused.data.message).toMatch(message)
        expect(JSON.stringify(refused.data)).not.toContain(String(body.card_number))

        const unchanged = await storefront.startPaysysSession(cart.id).catch(() => null)
        expect(unchanged).toBeTruthy()
        const { data } = await api.get(
          `/store/carts/${cart.id}?fields=*payment_collection.payment_sessions`,
          storefront.headers
        )
        for (const s of data.cart.payment_collection.payment_sessions) {
          expect(s.data.submitted_at ?? null).toBeNull()
        }
      })

      it("card data sent as session data is refused before it is stored", async () => {
        const cart = await storefront.cartReadyForPayment("uzs", [
          { variantId: store.products[1].variantId, quantity: 1 },
        ])
        const collection = await api.post("/store/payment-collections", { cart_id: cart.id }, storefront.headers)
        const refused = await api.post(
          `/store/payment-collections/${collection.data.payment_collection.id}/payment-sessions`,
          { provider_id: "pp_paysys_paysys", data: { card_number: CARDS.visa } },
          { ...storefront.headers, validateStatus: () => true }
        )
        expect(refused.status).toBe(400)
        expect(refused.data.message).toMatch(/data\.card_number/)
        const [{ count }] = (await dbConnection.raw("select count(*)::int as count from payment_session")).rows
        expect(count).toBe(0)
      })
    })

    describe("the merchant refunds and cancels from the admin", () => {
      async function paidOrder() {
        const { cart, posted } = await payToThreeDs("uzs", CARDS.visa)
        await passThreeDs(posted.confirm_url, { code: THREE_DS_CODE })
        const completed = await storefront.complete(cart.id)
        expect(completed.status).toBe(200)
        return orderWithPayment(completed.data.order.id)
      }

      it("refunds part, again, and refuses more than was captured", async () => {
        const { order, payment } = await paidOrder()
        const partnerTransId = payment.data.partner_trans_id
        // 375,000 sum captured
        const refund = (amount: number) =>
          api.post(
            `/admin/payments/${payment.id}/refund?fields=data,*refunds`,
            { amount },
            { ...admin, validateStatus: () => true }
          )
        const first = await refund(100_000)
        expect(first.status).toBe(200)
        expect(first.data.payment.data.refunds).toEqual([
          expect.objectContaining({ amount: "10000000", via: "refund" }),
        ])
        expect((await sandboxPaysysClient().checkPayment({ partner_trans_id: partnerTransId })).status).toBe(6)

        const second = await refund(50_000.5)
        expect(second.data.payment.data.refunds.map((r: { amount: string }) => r.amount)).toEqual([
          "10000000",
          "5000050",
        ])

        const tooMuch = await refund(300_000)
        expect(tooMuch.status).toBe(400)
        expect(tooMuch.data.message).toMatch(/refund more than the captured amount/)

        const { payment: after } = await orderWithPayment(order.id)
        expect(after.refunds).toHaveLength(2)
        const { transaction } = await fetch(
          `${process.env.PAYSYS_SANDBOX_URL}/__sandbox/transactions/${partnerTransId}`
        ).then((r) => r.json())
        const refunded = transaction.refunds.map((r: { amount: number | string }) => String(r.amount))
        expect(refunded).toEqual(["10000000", "5000050"])
      })

      it("a refund PaySys refuses leaves no refund in Medusa", async () => {
        const { payment } = await paidOrder()
        await api.post(`/admin/payments/${payment.id}/refund`, { amount: 100_000 }, admin)
        // PaySys refuses (sandbox fault): Medusa must not record it
        await fetch(`${process.env.PAYSYS_SANDBOX_URL}/__sandbox/faults`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            method: "paysys.refund_payment",
            kind: "paysys_error",
            count: 1,
            code: -31999,
            message: "Refunds are closed",
          }),
        })
        const refused = await api.post(
          `/admin/payments/${payment.id}/refund`,
          { amount: 1_000 },
          { ...admin, validateStatus: () => true }
        )
        expect(refused.status).toBe(400)
        expect(refused.data.message).toMatch(/Refunds are closed/)
        const { data } = await api.get(`/admin/payments/${payment.id}?fields=*refunds`, admin)
        expect(data.payment.refunds).toHaveLength(1)
      })

      it("canceling the order reverses the payment at PaySys (no acquirer fee)", async () => {
        const { order, payment } = await paidOrder()
        const canceled = await api.post(`/admin/orders/${order.id}/cancel`, {}, admin)
        expect(canceled.status).toBe(200)
        const atPaysys = await sandboxPaysysClient().checkPayment({ partner_trans_id: payment.data.partner_trans_id })
        expect(atPaysys.status).toBe(3)
        const { payment: after } = await orderWithPayment(order.id)
        expect(after.data.refunds).toEqual([expect.objectContaining({ via: "cancel", amount: "37500000" })])
      })
    })

    describe("card data", () => {
      it("was in no table after any test, and is in no log line", async () => {
        expect(tablesSearched).toBeGreaterThan(20)
        const logs = output.text()
        expect(logs.length).toBeGreaterThan(0)
        for (const number of Object.values(CARDS)) {
          expect(logs).not.toMatch(anyFormOf(number))
        }
        // a field name in a validation message is fine; a CVC value or a card field's value is not
        expect(logs).not.toMatch(/"card_(cvc|number)"\s*:|[=:"\s]737["\s,}]/)
      })
    })
  },
})
