import { integrationTestRunner } from "../helpers/test-runner"
import { Modules } from "@medusajs/framework/utils"
import { createCipheriv, randomBytes } from "node:crypto"
import { parseKey } from "../../src/modules/paysys/token-cipher"
import { AxiosResponse } from "axios"
import { notificationAuthHeader } from "../../src/paysys"
import { settlePaysysPayment } from "../../src/workflows/settlement/settle-paysys-payment"
import { seedStore, SeededStore } from "../../scripts/seed-store"
import { loginAdmin } from "../helpers/admin"
import { anyFormOf, CARDS, sandboxControl, Storefront, THREE_DS_CODE } from "../helpers/checkout"
import { registerCard, signUpCustomer } from "../helpers/customer"
import { dumpDatabase } from "../helpers/database-dump"
import { captureOutput } from "../helpers/output"
import { waitFor } from "../helpers/wait"
import { useEnv } from "../helpers/env"

jest.setTimeout(180_000)

// pay_by_id timing out is part of these tests: do not wait 15 s for it
useEnv({ PAYSYS_TIMEOUT_MS: "3000" })

const output = captureOutput()
const responses: unknown[] = []

/** medusa-config.ts's development cardTokenKey, which the tests boot with */
const DEVELOPMENT_CARD_TOKEN_KEY = "ZGV2ZWxvcG1lbnQtb25seS1wYXlzeXMtY2FyZC1rZXk="

const strangerAddress = {
  first_name: "Someone",
  last_name: "Else",
  address_1: "Elsewhere 1",
  city: "Samarkand",
  country_code: "uz",
  postal_code: "140100",
}

const cardBody = (number: string) => ({
  card_holder_name: "Aziz Karimov",
  card_number: number,
  card_expiry: "11/29",
  card_cvc: "737",
})

integrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    let store: SeededStore
    let storefront: Storefront
    const sandbox = sandboxControl()
    const seen = <T extends AxiosResponse>(response: T) => (responses.push(response.data), response)

    beforeAll(async () => {
      store = await seedStore(getContainer())
      storefront = new Storefront(api, store)
    })
    // every test's data is dropped before the next: search it for tokens while it is there
    let tokensSearched = 0
    afterEach(async () => {
      await sandbox.delete("/faults")
      const { data } = await sandbox.get("/cards")
      const tokens: string[] = data.cards.map((c: { token: string | null }) => c.token).filter(Boolean)
      const dump = await dumpDatabase(dbConnection)
      for (const token of tokens) {
        expect(dump).not.toContain(token)
      }
      tokensSearched += tokens.length
    })

    let customerCount = 0
    const newCustomer = () =>
      signUpCustomer(api, store.publishableKey, `saver${++customerCount}-${Date.now()}@example.uz`)

    /** Registers a card with 3-D Secure; resolves once PaySys's partner.notify was applied. */
    async function saveCard(
      customer: { headers: Record<string, string> },
      number = CARDS.mastercard,
      code = THREE_DS_CODE
    ) {
      const { started, id, row } = await registerCard(api, dbConnection, customer, cardBody(number), code)
      seen(started)
      expect(started.status).toBe(201)
      expect(started.data.card).toMatchObject({ status: "pending", masked_pan: expect.stringContaining("******") })
      return { id: id!, row: row! }
    }

    const listCards = async (customer: { headers: Record<string, string> }) =>
      seen(await api.get("/store/paysys/cards", customer)).data.cards as { id: string; data: Record<string, unknown> }[]

    async function cartWithSavedCard(customer: { headers: Record<string, string> }, savedCardId: string) {
      const cart = await storefront.cartReadyForPayment("uzs", [
        { variantId: store.products[0].variantId, quantity: 1 },
      ])
      await api.post(`/store/carts/${cart.id}/customer`, {}, customer)
      const collection = await api.post("/store/payment-collections", { cart_id: cart.id }, customer)
      const session = seen(
        await api.post(
          `/store/payment-collections/${collection.data.payment_collection.id}/payment-sessions`,
          { provider_id: "pp_paysys_paysys", data: { saved_card_id: savedCardId } },
          { ...customer, validateStatus: () => true }
        )
      )
      return { cart, session }
    }

    const completeAs = (customer: { headers: Record<string, string> }, cartId: string) =>
      api.post(`/store/carts/${cartId}/complete`, {}, { ...customer, validateStatus: () => true })

    const payByIdCalls = async (sessionId: string) => {
      const { data } = await sandbox.get("/calls?method=paysys.pay_by_id")
      return data.calls.filter((c: { partner_trans_id: string }) => c.partner_trans_id?.startsWith(`${sessionId}-`))
    }

    describe("a cart paying with a saved card completes only for its owner, total and address", () => {
      async function boundCart() {
        const owner = await newCustomer()
        const { id } = await saveCard(owner)
        const { cart, session } = await cartWithSavedCard(owner, id)
        expect(session.status).toBe(200)
        const sessionId: string = session.data.payment_collection.payment_sessions[0].id
        return { owner, cart, sessionId }
      }

      async function expectNotCompleted(cartId: string, sessionId: string) {
        expect(await payByIdCalls(sessionId)).toEqual([])
        const { rows } = await dbConnection.raw(`select count(*)::int as orders from order_cart where cart_id = ?`, [
          cartId,
        ])
        expect(rows[0].orders).toBe(0)
      }

      it("a stranger with only the cart id and the publishable key is refused (403), nothing is sent to PaySys", async () => {
        const { cart, sessionId } = await boundCart()
        await api.post(`/store/carts/${cart.id}`, { shipping_address: { ...strangerAddress } }, storefront.headers)
        const refused = await storefront.complete(cart.id)
        expect(refused.status).toBe(403)
        expect(refused.data.message).toMatch(/only the signed-in customer who owns the card/)
        await expectNotCompleted(cart.id, sessionId)
      })

      it("another signed-in customer is refused (403)", async () => {
        const { cart, sessionId } = await boundCart()
        const refused = await completeAs(await newCustomer(), cart.id)
        expect(refused.status).toBe(403)
        await expectNotCompleted(cart.id, sessionId)
      })

      it("the owner is refused (409) once the shipping address changed, and pays after choosing the card again", async () => {
        const { owner, cart, sessionId } = await boundCart()
        await api.post(`/store/carts/${cart.id}`, { shipping_address: { ...strangerAddress } }, storefront.headers)
        const refused = await completeAs(owner, cart.id)
        expect(refused.status).toBe(409)
        expect(refused.data.message).toMatch(/shipping address changed/)
        await expectNotCompleted(cart.id, sessionId)

        // the owner sees the address and confirms the card again: a new session, bound to it
        const { data } = await api.get(`/store/carts/${cart.id}?fields=*payment_collection`, owner)
        const again = await api.post(
          `/store/payment-collections/${data.cart.payment_collection.id}/payment-sessions`,
          { provider_id: "pp_paysys_paysys", data: { saved_card_id: (await listCards(owner))[0].id } },
          owner
        )
        const renewed: string = again.data.payment_collection.payment_sessions[0].id
        const completed = await completeAs(owner, cart.id)
        expect(completed.data.type).toBe("order")
        expect(await payByIdCalls(renewed)).toHaveLength(1)
      })

      it("the owner is refused (409) once the session's total changed", async () => {
        const { owner, cart, sessionId } = await boundCart()
        // the provider's updatePayment changes the session's amount as Medusa would on a new total
        const payment = getContainer().resolve(Modules.PAYMENT)
        const current = await payment.retrievePaymentSession(sessionId, {
          select: ["id", "amount", "currency_code", "data"],
        })
        await payment.updatePaymentSession({
          id: sessionId,
          amount: Number(current.amount) - 1000,
          currency_code: current.currency_code,
          data: current.data,
        })
        const refused = await completeAs(owner, cart.id)
        expect(refused.status).toBe(409)
        expect(refused.data.message).toMatch(/total changed/)
        await expectNotCompleted(cart.id, sessionId)
      })

      it("the provider sends no pay_by_id once the address changed, whatever path authorizes the session", async () => {
        const { cart, sessionId } = await boundCart()
        await api.post(`/store/carts/${cart.id}`, { shipping_address: { ...strangerAddress } }, storefront.headers)
        const payment = getContainer().resolve(Modules.PAYMENT)
        await expect(payment.authorizePaymentSession(sessionId, {})).rejects.toThrow(/shipping address changed/)
        await expectNotCompleted(cart.id, sessionId)
      })

      it("a stranger who adds an item (a new total) gets no order and no charge", async () => {
        const { cart, sessionId } = await boundCart()
        await api.post(
          `/store/carts/${cart.id}/line-items`,
          { variant_id: store.products[0].variantId, quantity: 1 },
          storefront.headers
        )
        const refused = await storefront.complete(cart.id)
        expect(refused.status).toBeGreaterThanOrEqual(400)
        await expectNotCompleted(cart.id, sessionId)
      })

      it("the owner, signed in, completes: one pay_by_id, one order to the chosen address", async () => {
        const { owner, cart, sessionId } = await boundCart()
        const completed = await completeAs(owner, cart.id)
        expect(completed.status).toBe(200)
        expect(completed.data.type).toBe("order")
        expect(await payByIdCalls(sessionId)).toHaveLength(1)
        const { rows } = await dbConnection.raw(
          `select customer_id, amount from paysys_saved_card_session where session_id = ?`,
          [sessionId]
        )
        expect(rows).toEqual([{ customer_id: expect.stringMatching(/^cus_/), amount: expect.any(String) }])
      })
    })

    it("register with 3DS, list, pay an order in one click, refund it, delete the card", async () => {
      const customer = await newCustomer()
      const { id, row } = await saveCard(customer)
      expect(row.status).toBe("active")

      const cards = await listCards(customer)
      expect(cards).toEqual([
        {
          id,
          provider_id: "pp_paysys_paysys",
          data: { masked_pan: "555555******4444", brand: "mastercard", expiry: "11/29" },
        },
      ])

      const { cart, session } = await cartWithSavedCard(customer, id)
      expect(session.status).toBe(200)
      const completed = seen(await completeAs(customer, cart.id))
      expect(completed.data.type).toBe("order")
      const admin = await loginAdmin(api, getContainer())
      const { data } = await api.get(
        `/admin/orders/${completed.data.order.id}?fields=payment_status,*payment_collections.payments`,
        admin
      )
      const payment = data.order.payment_collections[0].payments[0]
      expect(data.order.payment_status).toBe("captured")
      expect(payment.data).toMatchObject({
        saved_card_id: id,
        card_masked: "555555******4444",
        paysys_status: 2,
        rrn: expect.any(String),
      })

      const refund = await api.post(`/admin/payments/${payment.id}/refund?fields=data`, { amount: 50_000 }, admin)
      expect(refund.data.payment.data.refunds).toEqual([expect.objectContaining({ amount: "5000000" })])

      const removed = seen(await api.delete(`/store/paysys/cards/${id}`, customer))
      expect(removed.data).toEqual({ id, object: "paysys_card", deleted: true })
      expect(await listCards(customer)).toEqual([])
      const atPaysys = await sandbox.get(`/cards/${row.card_id}`)
      expect(atPaysys.data.card.status).not.toBe("active")
      const { rows } = await dbConnection.raw(`select status, token_encrypted from paysys_saved_card where id = ?`, [
        id,
      ])
      expect(rows[0]).toEqual({ status: "removed", token_encrypted: null })
    })

    it("an ERROR callback (wrong 3DS code) saves nothing usable", async () => {
      const customer = await newCustomer()
      const { row } = await saveCard(customer, CARDS.visa, "000000")
      expect(row).toMatchObject({ status: "failed", token_encrypted: null })
      expect(await listCards(customer)).toEqual([])
    })

    it("a duplicated callback changes nothing; one for an unknown card saves nothing", async () => {
      const customer = await newCustomer()
      const { id, row } = await saveCard(customer)
      await sandbox.post("/notify", { card_id: row.card_id })
      await sandbox.post("/notify", { card_id: row.card_id })
      const { rows } = await dbConnection.raw(`select status, token_encrypted from paysys_saved_card where id = ?`, [
        id,
      ])
      expect(rows[0]).toEqual({ status: "active", token_encrypted: row.token_encrypted })
      expect(await listCards(customer)).toHaveLength(1)

      const unknown = await api.post(
        "/hooks/paysys",
        {
          id: "x",
          method: "partner.notify",
          params: { stat: "SUCCESS", id: "f".repeat(32), token: "a".repeat(40), pan: "411111******1111" },
        },
        { headers: { authorization: notificationAuthHeader("sandbox-vendor", "sandbox-vendor-secret") } }
      )
      expect(unknown.data).toEqual({ error: null })
      const { rows: saved } = await dbConnection.raw(
        `select count(*)::int as count from paysys_saved_card where card_id = ?`,
        ["f".repeat(32)]
      )
      expect(saved[0].count).toBe(0)
      const { rows: recorded } = await dbConnection.raw(`select outcome from paysys_notification where card_id = ?`, [
        "f".repeat(32),
      ])
      expect(recorded).toEqual([{ outcome: "unknown_card" }])
    })

    it("an ERROR callback echoing the card (spaces, dashes) is stored masked", async () => {
      const customer = await newCustomer()
      const started = await api.post("/store/paysys/cards", cardBody(CARDS.mastercard), customer)
      const { rows } = await dbConnection.raw(`select card_id from paysys_saved_card where id = ?`, [
        started.data.card.id,
      ])
      const answered = await api.post(
        "/hooks/paysys",
        {
          id: "x",
          method: "partner.notify",
          params: {
            stat: "ERROR",
            id: rows[0].card_id,
            code: -34000,
            message: "Card 5555 5555-5555 - 4444 is blocked",
          },
        },
        { headers: { authorization: notificationAuthHeader("sandbox-vendor", "sandbox-vendor-secret") } }
      )
      expect(answered.data).toEqual({ error: null })
      const { rows: saved } = await dbConnection.raw(
        `select status, error_message from paysys_saved_card where id = ?`,
        [started.data.card.id]
      )
      expect(saved[0]).toEqual({ status: "failed", error_message: "Card 555555******4444 is blocked" })
      const { rows: recorded } = await dbConnection.raw(
        `select error_message from paysys_notification where card_id = ?`,
        [rows[0].card_id]
      )
      expect(recorded).toEqual([{ error_message: "Card 555555******4444 is blocked" }])
      expect(await dumpDatabase(dbConnection)).not.toMatch(anyFormOf(CARDS.mastercard))
    })

    it("a forged callback (wrong credentials) is refused and saves nothing", async () => {
      const customer = await newCustomer()
      const started = await api.post("/store/paysys/cards", cardBody(CARDS.mastercard), customer)
      const { rows } = await dbConnection.raw(`select card_id from paysys_saved_card where id = ?`, [
        started.data.card.id,
      ])
      const forged = await api.post(
        "/hooks/paysys",
        {
          id: "x",
          method: "partner.notify",
          params: { stat: "SUCCESS", id: rows[0].card_id, token: "b".repeat(40), pan: "555555******4444" },
        },
        { headers: { authorization: notificationAuthHeader("sandbox-vendor", "guessed") }, validateStatus: () => true }
      )
      expect(forged.status).toBe(401)
      const { rows: after } = await dbConnection.raw(
        `select status, token_encrypted from paysys_saved_card where id = ?`,
        [started.data.card.id]
      )
      expect(after[0]).toEqual({ status: "pending", token_encrypted: null })
    })

    it("a customer can list, use and delete only their own cards; a guest none", async () => {
      const owner = await newCustomer()
      const other = await newCustomer()
      const { id } = await saveCard(owner)
      expect(await listCards(other)).toEqual([])

      const { session } = await cartWithSavedCard(other, id)
      expect(session.status).toBe(404)
      const deleted = await api.delete(`/store/paysys/cards/${id}`, { ...other, validateStatus: () => true })
      expect(deleted.status).toBe(404)
      expect(await listCards(owner)).toHaveLength(1)

      const guestCart = await storefront.cartReadyForPayment("uzs", [
        { variantId: store.products[0].variantId, quantity: 1 },
      ])
      const collection = await api.post("/store/payment-collections", { cart_id: guestCart.id }, storefront.headers)
      const guest = await api.post(
        `/store/payment-collections/${collection.data.payment_collection.id}/payment-sessions`,
        { provider_id: "pp_paysys_paysys", data: { saved_card_id: id } },
        { ...storefront.headers, validateStatus: () => true }
      )
      expect(guest.status).toBe(400)
      expect(guest.data.message).toMatch(/Sign in/)
      const anonymous = await api.get("/store/paysys/cards", { ...storefront.headers, validateStatus: () => true })
      expect(anonymous.status).toBe(401)
    })

    it("pay_by_id timing out once: one charge, one order", async () => {
      const customer = await newCustomer()
      const { id } = await saveCard(customer)
      const { cart, session } = await cartWithSavedCard(customer, id)
      const sessionId = session.data.payment_collection.payment_sessions[0].id
      await sandbox.post("/faults", {
        kind: "timeout",
        method: "paysys.pay_by_id",
        count: 1,
        applyFirst: true,
        partnerTransId: `${sessionId}-1`,
      })
      const first = await completeAs(customer, cart.id)
      // the shopper is told it did not go through yet, or the notification already placed the order
      expect([200, 400]).toContain(first.status)
      const order = await waitFor(
        "one order",
        async () => {
          const retry = await completeAs(customer, cart.id)
          return retry.data.type === "order" ? retry.data.order : null
        },
        60_000,
        1000
      )
      expect(order.id).toBeTruthy()
      const { data: calls } = await sandbox.get("/calls?method=paysys.pay_by_id")
      const charges = calls.calls.filter((c: { partner_trans_id: string }) => c.partner_trans_id === `${sessionId}-1`)
      expect(charges).toHaveLength(1)
      const { rows } = await dbConnection.raw(
        `select (select count(*)::int from order_cart where cart_id = ?) as orders,
                (select count(*)::int from capture c join payment p on p.id = c.payment_id where p.payment_session_id = ?) as captures`,
        [cart.id, sessionId]
      )
      expect(rows[0]).toEqual({ orders: 1, captures: 1 })
    })

    it("charged, answer lost, a stranger changes the address: a completion by the server places no order, gives the money back", async () => {
      const owner = await newCustomer()
      const { id } = await saveCard(owner)
      const { cart, session } = await cartWithSavedCard(owner, id)
      const sessionId: string = session.data.payment_collection.payment_sessions[0].id
      const partnerTransId = `${sessionId}-1`
      // PaySys charges the card, its answer and its notification are lost
      await sandbox.post("/callbacks", { mode: "drop" })
      try {
        await sandbox.post("/faults", {
          kind: "timeout",
          method: "paysys.pay_by_id",
          count: 1,
          applyFirst: true,
          partnerTransId,
        })
        // and PaySys cannot be asked about it for a while
        await sandbox.post("/faults", { kind: "http_5xx", method: "paysys.check_payment", count: 20, partnerTransId })
        const first = await completeAs(owner, cart.id)
        expect(first.data.type).not.toBe("order")
        await sandbox.delete("/faults")
        expect((await sandbox.get(`/transactions/${partnerTransId}`)).data.transaction.status).toBe(2)

        await api.post(`/store/carts/${cart.id}`, { shipping_address: { ...strangerAddress } }, storefront.headers)
        expect(await settlePaysysPayment(getContainer(), partnerTransId)).toBe("reversal_scheduled")
        const orders = async () => {
          const { rows } = await dbConnection.raw(
            `select count(*)::int as n from order_cart where cart_id = ? and deleted_at is null`,
            [cart.id]
          )
          return rows[0].n as number
        }
        expect(await orders()).toBe(0)
        const { rows } = await dbConnection.raw(
          `select state, outcome from paysys_attempt where partner_trans_id = ?`,
          [partnerTransId]
        )
        expect(rows[0]).toEqual({ state: "paid", outcome: "shipping_address_changed" })

        // past the grace period it is given back, still with no order
        await dbConnection.raw(
          `update paysys_attempt set paid_at = now() - interval '1 day' where partner_trans_id = ?`,
          [partnerTransId]
        )
        expect(await settlePaysysPayment(getContainer(), partnerTransId)).toBe("reversed")
        expect(await orders()).toBe(0)
        expect((await sandbox.get(`/transactions/${partnerTransId}`)).data.transaction.status).toBe(3)
        expect(await payByIdCalls(sessionId)).toHaveLength(1)
      } finally {
        await sandbox.post("/callbacks", { mode: "normal" })
      }
    })

    it("pay_by_id over PaySys's request limit (HTTP 429): sent once, never reached PaySys, the next completion pays", async () => {
      const customer = await newCustomer()
      const { id } = await saveCard(customer)
      const { cart, session } = await cartWithSavedCard(customer, id)
      const sessionId = session.data.payment_collection.payment_sessions[0].id
      await sandbox.post("/faults", {
        kind: "rate_limited",
        method: "paysys.pay_by_id",
        count: 1,
        retryAfterSeconds: 4,
        partnerTransId: `${sessionId}-1`,
      })
      const first = await completeAs(customer, cart.id)
      expect(first.status).toBeGreaterThanOrEqual(400)
      expect(first.status).toBeLessThan(500)
      expect(JSON.stringify(first.data)).toMatch(/PaySys is busy, try again in 4 seconds/)
      const { rows } = await dbConnection.raw(`select state, outcome from paysys_attempt where partner_trans_id = ?`, [
        `${sessionId}-1`,
      ])
      expect(rows[0]).toEqual({ state: "never_sent", outcome: "never_reached_paysys" })

      const second = await completeAs(customer, cart.id)
      expect(second.data.type).toBe("order")
      const { data: calls } = await sandbox.get("/calls?method=paysys.pay_by_id")
      const sent = calls.calls.filter((c: { partner_trans_id: string }) => c.partner_trans_id.startsWith(sessionId))
      expect(
        sent.map((c: { partner_trans_id: string; outcome: string }) => [c.partner_trans_id, c.outcome.split(":")[0]])
      ).toEqual([
        [`${sessionId}-1`, "fault rate_limited"],
        [`${sessionId}-2`, "ok"],
      ])
    })

    it("a token stored by the previous version (v1, no associated data) still pays, and is rewritten as v2", async () => {
      const customer = await newCustomer()
      const { id, row } = await saveCard(customer)
      const { data } = await sandbox.get(`/cards/${row.card_id}`)
      // as the previous version wrote it: AES-256-GCM with the repository's development key, no AAD
      const iv = randomBytes(12)
      const cipher = createCipheriv("aes-256-gcm", parseKey(DEVELOPMENT_CARD_TOKEN_KEY), iv)
      const encrypted = Buffer.concat([cipher.update(data.card.token, "utf8"), cipher.final()])
      const v1 = ["v1", ...[iv, cipher.getAuthTag(), encrypted].map((part) => part.toString("base64url"))].join(".")
      await dbConnection.raw(`update paysys_saved_card set token_encrypted = ? where id = ?`, [v1, id])

      const { cart } = await cartWithSavedCard(customer, id)
      expect((await completeAs(customer, cart.id)).data.type).toBe("order")
      const { rows } = await dbConnection.raw(`select token_encrypted from paysys_saved_card where id = ?`, [id])
      expect(rows[0].token_encrypted).toMatch(/^v2\./)
    })

    it("the token is in no response, session data or log, and is stored encrypted", async () => {
      await saveCard(await newCustomer())
      const { data } = await sandbox.get("/cards")
      const tokens: string[] = data.cards.map((c: { token: string | null }) => c.token).filter(Boolean)
      expect(tokens.length).toBeGreaterThan(0)
      const logs = output.text()
      const answered = JSON.stringify(responses)
      for (const token of tokens) {
        expect(answered).not.toContain(token)
        expect(logs).not.toContain(token)
      }
      expect(tokensSearched).toBeGreaterThan(0)
      const { rows } = await dbConnection.raw(
        `select token_encrypted from paysys_saved_card where token_encrypted is not null`
      )
      expect(rows.length).toBeGreaterThan(0)
      for (const row of rows) {
        expect(row.token_encrypted).toMatch(/^v2\./)
      }
    })
  },
})
