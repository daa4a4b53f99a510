import { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { AxiosInstance } from "axios"
import reconcilePaysysPayments from "../../src/jobs/reconcile-paysys-payments"
import { notificationAuthHeader } from "../../src/paysys"
import { seedStore, SeededStore } from "../../scripts/seed-store"
import { loginAdmin } from "./admin"
import { card, CARDS, passThreeDs, sandboxControl, sandboxPaysysClient, Storefront, THREE_DS_CODE } from "./checkout"
import { sleep, waitFor } from "./wait"

type Options = { api: AxiosInstance; getContainer: () => MedusaContainer; dbConnection: any; races: number }

const BASIC = notificationAuthHeader("sandbox-vendor", "sandbox-vendor-secret")

/**
 * Every way PaySys's callbacks can go wrong, against a real Medusa app and the sandbox.
 * Shared by the in-memory run and the Redis (event bus, workflow engine, locking) run.
 */
export function notificationScenarios({ api, getContainer, dbConnection, races }: Options) {
  let store: SeededStore
  let storefront: Storefront
  const sandbox = sandboxControl()

  beforeAll(async () => {
    store = await seedStore(getContainer())
    storefront = new Storefront(api, store)
  })
  afterEach(async () => {
    await sandbox.post("/callbacks", { mode: "normal" })
    await sandbox.delete("/faults")
  })

  async function paidAtPaysys(number = CARDS.visa) {
    const cart = await storefront.cartReadyForPayment("uzs", [{ variantId: store.products[1].variantId, quantity: 1 }])
    const session = await storefront.startPaysysSession(cart.id)
    const posted = await storefront.postCard(session.id, card(number))
    expect(posted.status).toBe(200)
    return { cart, session, confirmUrl: posted.data.confirm_url as string }
  }

  /** Orders, payments and captures Medusa holds for a cart: each must end at exactly 1. */
  async function counts(cartId: string, sessionId: string) {
    const one = async (sql: string, id: string) => (await dbConnection.raw(sql, [id])).rows[0].count as number
    return {
      orders: await one(
        `select count(*)::int as count from order_cart where cart_id = ? and deleted_at is null`,
        cartId
      ),
      payments: await one(
        `select count(*)::int as count from payment where payment_session_id = ? and deleted_at is null`,
        sessionId
      ),
      captures: await one(
        `select count(*)::int as count from capture c join payment p on p.id = c.payment_id where p.payment_session_id = ? and c.deleted_at is null`,
        sessionId
      ),
    }
  }

  const orderPlaced = (cartId: string, sessionId: string) =>
    waitFor("the order", async () => (await counts(cartId, sessionId)).orders === 1)

  async function notifications(partnerTransId: string) {
    const { rows } = await dbConnection.raw(
      `select reported_status, deliveries, processed_at, outcome, attempts, last_error from paysys_notification where partner_trans_id = ? order by created_at`,
      [partnerTransId]
    )
    return rows as {
      reported_status: string
      deliveries: number
      attempts: number
      processed_at: Date | null
      outcome: string | null
      last_error: string | null
    }[]
  }

  const allProcessed = (partnerTransId: string, count = 1) =>
    waitFor(`${count} processed notification(s)`, async () => {
      const rows = await notifications(partnerTransId)
      return rows.length >= count && rows.every((row) => row.processed_at) ? rows : null
    })

  describe("the order is placed exactly once", () => {
    it("when the notification comes first and the shopper never returns", async () => {
      const { cart, session, confirmUrl } = await paidAtPaysys()
      await passThreeDs(confirmUrl, { code: THREE_DS_CODE })
      await orderPlaced(cart.id, session.id)
      const [notification] = await allProcessed(`${session.id}-1`)
      expect(notification.outcome).toBe("captured")
      // the shopper comes back later: the same order
      const completed = await storefront.complete(cart.id)
      expect(completed.data.type).toBe("order")
      expect(await counts(cart.id, session.id)).toEqual({ orders: 1, payments: 1, captures: 1 })
    })

    it("when the shopper returns first and the notification comes later", async () => {
      await sandbox.post("/callbacks", { mode: "hold" })
      const { cart, session, confirmUrl } = await paidAtPaysys()
      await passThreeDs(confirmUrl, { code: THREE_DS_CODE })
      const completed = await storefront.complete(cart.id)
      expect(completed.data.type).toBe("order")
      await sandbox.post("/callbacks/flush", { order: "fifo" })
      const [notification] = await allProcessed(`${session.id}-1`)
      expect(notification.outcome).toBe("already_captured")
      expect(await counts(cart.id, session.id)).toEqual({ orders: 1, payments: 1, captures: 1 })
    })

    it(`when both come at the same moment (${races} times)`, async () => {
      for (let i = 0; i < races; i++) {
        await sandbox.post("/callbacks", { mode: "hold" })
        const { cart, session, confirmUrl } = await paidAtPaysys()
        await passThreeDs(confirmUrl, { code: THREE_DS_CODE })
        const [completed] = await Promise.all([
          storefront.complete(cart.id),
          sandbox.post("/callbacks/flush", { order: "fifo" }),
        ])
        expect([200, 409]).toContain(completed.status)
        await allProcessed(`${session.id}-1`)
        await orderPlaced(cart.id, session.id)
        expect(await counts(cart.id, session.id)).toEqual({ orders: 1, payments: 1, captures: 1 })
      }
    })
  })

  describe("nothing wrong happens, nothing is lost", () => {
    it("the same notification delivered 10 times", async () => {
      await sandbox.post("/callbacks", { mode: "duplicate", copies: 10 })
      const { cart, session, confirmUrl } = await paidAtPaysys()
      await passThreeDs(confirmUrl, { code: THREE_DS_CODE })
      await orderPlaced(cart.id, session.id)
      const rows = await waitFor("10 deliveries", async () => {
        const found = await notifications(`${session.id}-1`)
        return found[0]?.deliveries === 10 && found[0].processed_at ? found : null
      })
      expect(rows).toHaveLength(1)
      await sleep(300)
      expect(await counts(cart.id, session.id)).toEqual({ orders: 1, payments: 1, captures: 1 })
      // processed once, not once per delivery
      expect((await notifications(`${session.id}-1`))[0]).toMatchObject({ deliveries: 10, attempts: 1 })
    })

    it("a burst: 30 notifications, each delivered 3 times, all at once, are each recorded once with every delivery counted, and processed once", async () => {
      await sandbox.post("/callbacks", { mode: "drop" })
      const { cart, session, confirmUrl } = await paidAtPaysys()
      await passThreeDs(confirmUrl, { code: THREE_DS_CODE })
      const real = `${session.id}-1`
      // the other 29 are for payments this store never made (a PaySys account shared with another shop)
      const accounts = [real, ...Array.from({ length: 29 }, (_, i) => `payses_burst${i}-1`)]
      const deliveries = accounts.flatMap((account, i) => {
        const body = {
          id: String(900_000 + i),
          account,
          amount: 1_500_000,
          card_masked: "411111******1111",
          currency: 860,
          currency_name: "uzs",
          status: 2,
          date: "24.11.2026 10:00:00",
        }
        return [body, body, body]
      })
      const answers = await Promise.all(
        deliveries.map((body) =>
          api.post("/hooks/paysys", body, { headers: { authorization: BASIC }, validateStatus: () => true })
        )
      )
      expect(answers.map(({ status, data }) => [status, data])).toEqual(deliveries.map(() => [200, { error: null }]))
      const rows = await waitFor("30 processed notifications", async () => {
        const { rows } = await dbConnection.raw(
          `select partner_trans_id, deliveries, attempts, outcome, processed_at from paysys_notification where partner_trans_id = any(?)`,
          [accounts]
        )
        return rows.length === 30 && rows.every((row: { processed_at: Date | null }) => row.processed_at) ? rows : null
      })
      expect(rows.map((row: { deliveries: number; attempts: number }) => [row.deliveries, row.attempts])).toEqual(
        accounts.map(() => [3, 1])
      )
      expect(rows.filter((row: { outcome: string }) => row.outcome === "unknown_payment")).toHaveLength(29)
      await orderPlaced(cart.id, session.id)
      expect(await counts(cart.id, session.id)).toEqual({ orders: 1, payments: 1, captures: 1 })
    })

    it("notifications out of order: a late failure of an earlier attempt changes nothing", async () => {
      await sandbox.post("/callbacks", { mode: "hold" })
      const { cart, session, confirmUrl } = await paidAtPaysys(CARDS.declined)
      await passThreeDs(confirmUrl, { code: THREE_DS_CODE })
      const retry = await storefront.postCard(session.id, card(CARDS.visa))
      await passThreeDs(retry.data.confirm_url, { code: THREE_DS_CODE })
      // attempt 2's success arrives before attempt 1's failure
      await sandbox.post("/callbacks/flush", { order: "reverse" })
      await orderPlaced(cart.id, session.id)
      expect((await allProcessed(`${session.id}-2`))[0].outcome).toBe("captured")
      // attempt 1 failed, and the session it no longer was the current attempt of is left alone
      expect((await allProcessed(`${session.id}-1`))[0].outcome).toBe("failed")
      expect(await counts(cart.id, session.id)).toEqual({ orders: 1, payments: 1, captures: 1 })
    })

    it("a forged 'completed' that PaySys does not confirm places no order", async () => {
      const { cart, session } = await paidAtPaysys()
      await sandbox.post("/notify", { partner_trans_id: `${session.id}-1`, status: 2 })
      const [notification] = await allProcessed(`${session.id}-1`)
      expect(notification.outcome).toBe("pending")
      expect(await counts(cart.id, session.id)).toEqual({ orders: 0, payments: 0, captures: 0 })
      const completed = await storefront.complete(cart.id)
      expect(completed.status).toBe(400)
    })

    it("wrong or missing Basic credentials get 401 and record nothing", async () => {
      const body = {
        id: "1",
        account: "payses_x-1",
        amount: 1000,
        card_masked: "411111******1111",
        currency: 860,
        currency_name: "uzs",
        status: 2,
        date: "24.06.2022 07:49:16",
      }
      const wrong = await api.post("/hooks/paysys", body, {
        headers: { authorization: notificationAuthHeader("sandbox-vendor", "guess") },
        validateStatus: () => true,
      })
      const missing = await api.post("/hooks/paysys", body, { validateStatus: () => true })
      expect([wrong.status, missing.status]).toEqual([401, 401])
      const { rows } = await dbConnection.raw(`select count(*)::int as count from paysys_notification`)
      expect(rows[0].count).toBe(0)
    })

    it.each([
      ["not JSON", "{not json", "application/json", /./],
      ["a status without account", { id: "1", amount: 1, currency: 860, status: 2 }, "application/json", /account/],
      ["a partner.notify without params", { method: "partner.notify", id: "x" }, "application/json", /params/],
      [
        "a status that is not a number",
        { id: "1", account: "a-1", amount: 1, currency: 860, status: "paid" },
        "application/json",
        /status/,
      ],
    ])("garbage (%s) gets a 4xx JSON error and records nothing", async (_, body, type, message) => {
      const response = await api.post("/hooks/paysys", body, {
        headers: { authorization: BASIC, "content-type": type },
        validateStatus: () => true,
      })
      expect(response.status).toBeGreaterThanOrEqual(400)
      expect(response.status).toBeLessThan(500)
      expect(JSON.stringify(response.data)).toMatch(message)
      const { rows } = await dbConnection.raw(`select count(*)::int as count from paysys_notification`)
      expect(rows[0].count).toBe(0)
    })

    it("a callback that never comes: the reconciliation job places the order", async () => {
      await sandbox.post("/callbacks", { mode: "drop" })
      const { cart, session, confirmUrl } = await paidAtPaysys()
      await passThreeDs(confirmUrl, { code: THREE_DS_CODE })
      // due once reconcileAfterSeconds (1 in these tests) have passed: the first run that finds
      // it due settles it (a run finding the job's lock held by a scheduled one skips)
      await waitFor(
        "the job to settle the paid attempt",
        async () => (await reconcilePaysysPayments(getContainer())).attempts >= 1,
        undefined,
        500
      )
      await orderPlaced(cart.id, session.id)
      expect(await counts(cart.id, session.id)).toEqual({ orders: 1, payments: 1, captures: 1 })
      const { data } = await api.get(`/store/carts/${cart.id}`, storefront.headers)
      expect(data.cart.completed_at).toBeTruthy()
    })

    it("a payment captured but whose cart was never completed (a crash between the two) gets its order", async () => {
      await sandbox.post("/callbacks", { mode: "hold" })
      const { cart, session, confirmUrl } = await paidAtPaysys()
      await passThreeDs(confirmUrl, { code: THREE_DS_CODE })
      // what processPaymentWorkflow leaves when the server stops after capturing
      await getContainer().resolve(Modules.PAYMENT).authorizePaymentSession(session.id, {})
      expect(await counts(cart.id, session.id)).toEqual({ orders: 0, payments: 1, captures: 1 })
      await sandbox.post("/callbacks/flush", { order: "fifo" })
      await orderPlaced(cart.id, session.id)
      expect((await allProcessed(`${session.id}-1`))[0].outcome).toBe("order_placed")
      expect(await counts(cart.id, session.id)).toEqual({ orders: 1, payments: 1, captures: 1 })
    })

    it("a 3-D Secure page left unfinished is taken as abandoned, and the ledger keeps looking with backoff", async () => {
      const { session } = await paidAtPaysys()
      // abandoned once abandonAfterSeconds (2 in these tests) have passed, at the first run of
      // the job that finds the attempt due (a scheduled run may have looked at it before, and
      // put its next look after a backoff)
      await waitFor(
        "the job to take the unfinished page as abandoned",
        async () => {
          await reconcilePaysysPayments(getContainer())
          const { rows } = await dbConnection.raw(`select status from payment_session where id = ?`, [session.id])
          return rows[0].status === "requires_more"
        },
        undefined,
        500
      )
      // still open at PaySys: looked at again later, after its backoff
      const { rows: ledger } = await dbConnection.raw(
        `select state, next_check_at from paysys_attempt where session_id = ?`,
        [session.id]
      )
      expect(ledger[0].state).toBe("open")
      expect(new Date(ledger[0].next_check_at).getTime()).toBeGreaterThan(Date.now() - 1000)
    })

    it("processing that fails (PaySys down) is retried by the job, not lost", async () => {
      await sandbox.post("/callbacks", { mode: "hold" })
      const { cart, session, confirmUrl } = await paidAtPaysys()
      await passThreeDs(confirmUrl, { code: THREE_DS_CODE })
      await sandbox.post("/faults", {
        kind: "http_5xx",
        method: "paysys.check_payment",
        count: 3,
        partnerTransId: `${session.id}-1`,
      })
      await sandbox.post("/callbacks/flush", { order: "fifo" })
      const [failed] = await waitFor("a failed processing", async () => {
        const rows = await notifications(`${session.id}-1`)
        return rows[0]?.last_error ? rows : null
      })
      expect(failed.processed_at).toBeNull()
      expect(failed.last_error).toMatch(/PaySys/)
      // the first run of the job that finds the notification due processes it again
      await waitFor(
        "the job to place the order",
        async () => {
          await reconcilePaysysPayments(getContainer())
          return (await counts(cart.id, session.id)).orders === 1
        },
        undefined,
        500
      )
      await orderPlaced(cart.id, session.id)
      const [processed] = await allProcessed(`${session.id}-1`)
      expect(["captured", "already_captured"]).toContain(processed.outcome)
      expect(await counts(cart.id, session.id)).toEqual({ orders: 1, payments: 1, captures: 1 })
    })

    it("a declined payment's notification marks the session failed for the storefront", async () => {
      const { cart, session, confirmUrl } = await paidAtPaysys(CARDS.declined)
      await passThreeDs(confirmUrl, { code: THREE_DS_CODE })
      const [notification] = await allProcessed(`${session.id}-1`)
      expect(notification.outcome).toBe("failed")
      const { data } = await api.get(
        `/store/carts/${cart.id}?fields=*payment_collection.payment_sessions`,
        storefront.headers
      )
      expect(data.cart.payment_collection.payment_sessions[0]).toMatchObject({
        status: "error",
        data: { error: { message: expect.stringMatching(/declined/i) } },
      })
    })
  })

  describe("refunds and reversals made at PaySys", () => {
    async function paidOrder() {
      const { cart, session, confirmUrl } = await paidAtPaysys()
      await passThreeDs(confirmUrl, { code: THREE_DS_CODE })
      await orderPlaced(cart.id, session.id)
      await allProcessed(`${session.id}-1`)
      const { rows } = await dbConnection.raw(`select id from payment where payment_session_id = ?`, [session.id])
      return { paymentId: rows[0].id as string, partnerTransId: `${session.id}-1` }
    }

    const refunds = async (paymentId: string) =>
      (
        await dbConnection.raw(
          `select amount::text as amount, note from refund where payment_id = ? and deleted_at is null order by created_at`,
          [paymentId]
        )
      ).rows as { amount: string; note: string | null }[]

    it("a refund made in the PaySys cabinet is never booked from a notification: it waits for the merchant", async () => {
      const { paymentId, partnerTransId } = await paidOrder()
      await sandboxPaysysClient().refundPayment({
        partner_trans_id: partnerTransId,
        amount: "1000000",
        currency: "uzs",
      })
      const rows = await allProcessed(partnerTransId, 2)
      expect(rows.map((r) => r.outcome)).toEqual(["captured", "refund_unexplained"])
      // another status 6 carrying the transaction's whole amount: still nothing booked
      await sandbox.post("/notify", { partner_trans_id: partnerTransId, status: 6, amount: 14500000 })
      await allProcessed(partnerTransId, 3)
      expect(await refunds(paymentId)).toHaveLength(0)
    })

    it("a reversal made in the PaySys cabinet refunds the whole payment in Medusa", async () => {
      const { paymentId, partnerTransId } = await paidOrder()
      await sandboxPaysysClient().cancelPayment({ partner_trans_id: partnerTransId })
      const recorded = await waitFor("the reversal recorded", async () => {
        const found = await refunds(paymentId)
        return found.length ? found : null
      })
      expect(recorded.map((r) => r.amount)).toEqual(["145000"]) // 120,000 + 25,000 shipping
    })

    it("Medusa's own refund is not recorded twice when PaySys notifies it", async () => {
      const { paymentId, partnerTransId } = await paidOrder()
      const admin = await loginAdmin(api, getContainer())
      await api.post(`/admin/payments/${paymentId}/refund`, { amount: 5000 }, admin)
      const rows = await allProcessed(partnerTransId, 2)
      expect(rows.map((r) => r.outcome)).toEqual(["captured", "refund_noted"])
      expect((await refunds(paymentId)).map((r) => r.amount)).toEqual(["5000"])
    })
  })
}
