import { integrationTestRunner } from "../helpers/test-runner"
import { Modules } from "@medusajs/framework/utils"
import reconcilePaysysPayments from "../../src/jobs/reconcile-paysys-payments"
import { settlePaysysPayment } from "../../src/workflows/settlement/settle-paysys-payment"
import { PAYSYS_MODULE, PaysysModuleService } from "../../src/modules/paysys"
import { checkAttempt } from "../../src/modules/paysys/check-attempt"
import { notificationAuthHeader } from "../../src/paysys"
import { seedStore, SeededStore } from "../../scripts/seed-store"
import { loginAdmin } from "../helpers/admin"
import {
  card,
  CARDS,
  passThreeDs,
  sandboxControl,
  sandboxPaysysClient,
  Storefront,
  THREE_DS_CODE,
} from "../helpers/checkout"
import { signUpCustomer } from "../helpers/customer"
import { useEnv } from "../helpers/env"
import { captureOutput } from "../helpers/output"
import { sleep, waitFor } from "../helpers/wait"

jest.setTimeout(300_000)

// the job looks at attempts after 1 s, then every second; a paid attempt no order can use is
// given back 1 s after it was seen paid; a write PaySys never received is known after 2 x 1.5 s
useEnv({
  PAYSYS_RECONCILE_AFTER_SECONDS: "1",
  PAYSYS_ABANDON_AFTER_SECONDS: "2",
  PAYSYS_REVERSE_AFTER_SECONDS: "1",
  PAYSYS_RECONCILE_BACKOFF_SECONDS: "1",
  PAYSYS_NOTIFICATION_MAX_ATTEMPTS: "3",
  PAYSYS_TIMEOUT_MS: "1500",
})

const output = captureOutput()
const BASIC = notificationAuthHeader("sandbox-vendor", "sandbox-vendor-secret")

type LedgerAttempt = {
  partner_trans_id: string
  state: string
  outcome: string | null
  session_id: string
  payment_id: string | null
}

/**
 * The money-safety cases, each over the store and admin APIs against the sandbox:
 * nothing a storefront can call gives money back, every paid attempt ends as one order's
 * payment or reversed, refunds are booked only from what PaySys accepted.
 */
integrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    let store: SeededStore
    let storefront: Storefront
    let admin: { headers: Record<string, string> }
    const sandbox = sandboxControl()

    beforeAll(async () => {
      store = await seedStore(getContainer())
      storefront = new Storefront(api, store)
      admin = await loginAdmin(api, getContainer())
    })
    afterEach(async () => {
      await sandbox.post("/callbacks", { mode: "normal" })
      await sandbox.delete("/faults")
    })

    const attempt = async (partnerTransId: string): Promise<LedgerAttempt> =>
      (await dbConnection.raw(`select * from paysys_attempt where partner_trans_id = ?`, [partnerTransId])).rows[0]
    const atPaysys = async (partnerTransId: string) =>
      (await sandbox.get(`/transactions/${partnerTransId}`)).data.transaction
    const callsOf = async (method: string, partnerTransId: string) =>
      (await sandbox.get(`/calls`, { params: { method } })).data.calls.filter(
        (call: { partner_trans_id: string | null }) => call.partner_trans_id === partnerTransId
      ).length
    const ordersOf = async (cartId: string) =>
      (
        await dbConnection.raw(`select count(*)::int as n from order_cart where cart_id = ? and deleted_at is null`, [
          cartId,
        ])
      ).rows[0].n
    const medusaPaymentsOf = async (partnerTransId: string) =>
      (
        await dbConnection.raw(`select id from payment where data->>'partner_trans_id' = ? and deleted_at is null`, [
          partnerTransId,
        ])
      ).rows

    /** Runs the job until the attempt reaches one of the states (the job's backoff is 1 s here). */
    const settledAs = (partnerTransId: string, states: string[]) =>
      waitFor(
        `${partnerTransId} to be ${states.join(" or ")}`,
        async () => {
          await reconcilePaysysPayments(getContainer())
          const row = await attempt(partnerTransId)
          return states.includes(row?.state) ? row : null
        },
        60_000,
        500
      )

    const cartAtThreeDs = (number?: string) => storefront.cartAtThreeDs(number)
    const paidOrder = () => storefront.paidOrder(admin)

    const newSession = (collectionId: string) =>
      api.post(
        `/store/payment-collections/${collectionId}/payment-sessions`,
        { provider_id: "pp_paysys_paysys" },
        storefront.headers
      )

    describe("1. nothing a storefront can call gives money back", () => {
      it("a new payment session on an ordered cart leaves the payment taken (no free goods)", async () => {
        const { cart, payment, partnerTransId } = await paidOrder()
        const collectionId = (await storefront.cart(cart.id)).payment_collection.id
        const again = await api.post(
          `/store/payment-collections/${collectionId}/payment-sessions`,
          { provider_id: "pp_paysys_paysys" },
          { ...storefront.headers, validateStatus: () => true }
        )
        expect(again.status).toBeLessThan(500)
        await settledAs(partnerTransId, ["captured"])
        expect(await callsOf("paysys.cancel_payment", partnerTransId)).toBe(0)
        expect(await callsOf("paysys.refund_payment", partnerTransId)).toBe(0)
        expect((await atPaysys(partnerTransId)).status).toBe(2)
        expect(await attempt(partnerTransId)).toMatchObject({ state: "captured", payment_id: payment.id })
      })
    })

    describe("2. a missing session is never taken for an unpaid order", () => {
      it("a paid order whose session rows are gone: the notification changes nothing at PaySys", async () => {
        const { partnerTransId, session, payment } = await paidOrder()
        // what a failed read used to look like: no session to be found
        await dbConnection.raw(`update payment_session set deleted_at = now() where id = ?`, [session.id])
        await sandbox.post("/notify", { partner_trans_id: partnerTransId })
        await settledAs(partnerTransId, ["captured"])
        expect(await callsOf("paysys.cancel_payment", partnerTransId)).toBe(0)
        expect((await atPaysys(partnerTransId)).status).toBe(2)
        expect((await attempt(partnerTransId)).payment_id).toBe(payment.id)
      })
    })

    describe("3. paid attempts that are not the session's current one are settled without a callback", () => {
      beforeEach(() => sandbox.post("/callbacks", { mode: "drop" }))

      it("a double click: the attempt paid first is the order's, the second one paid is reversed", async () => {
        const { cart, session, confirmUrl } = await cartAtThreeDs()
        const second = await storefront.postCard(session.id, card(CARDS.mastercard))
        expect(second.status).toBe(200)
        await passThreeDs(confirmUrl, { code: THREE_DS_CODE }) // attempt 1, no longer the session's current
        const completed = await storefront.complete(cart.id)
        expect(completed.data.type).toBe("order")
        await passThreeDs(second.data.confirm_url, { code: THREE_DS_CODE }) // attempt 2 paid too
        expect(await settledAs(`${session.id}-2`, ["reversed"])).toMatchObject({ outcome: "cart_completed_otherwise" })
        expect(await settledAs(`${session.id}-1`, ["captured"])).toBeTruthy()
        expect((await atPaysys(`${session.id}-2`)).status).toBe(3)
        expect((await atPaysys(`${session.id}-1`)).status).toBe(2)
        expect(await ordersOf(cart.id)).toBe(1)
      })

      it("a double click whose first payment was captured without its order: that one gets the order, the second is reversed", async () => {
        const { cart, session, confirmUrl } = await cartAtThreeDs()
        const second = await storefront.postCard(session.id, card(CARDS.mastercard))
        await passThreeDs(confirmUrl, { code: THREE_DS_CODE })
        await passThreeDs(second.data.confirm_url, { code: THREE_DS_CODE })
        // Medusa captures one of them, then the shopper re-creates the session before the cart is completed
        const payment = await getContainer().resolve(Modules.PAYMENT).authorizePaymentSession(session.id, {})
        const captured = payment!.data!.partner_trans_id as string
        const other = [`${session.id}-1`, `${session.id}-2`].find((id) => id !== captured)!
        await newSession((await storefront.cart(cart.id)).payment_collection.id)
        // the other paid attempt is settled first: it must not become a second payment of the cart
        await settlePaysysPayment(getContainer(), other)
        expect(["second_payment", "cart_completed_otherwise"]).toContain((await settledAs(other, ["reversed"])).outcome)
        await settledAs(captured, ["captured"])
        expect(await ordersOf(cart.id)).toBe(1)
        // the payment that lost its session was set aside; the order holds one payment, of that attempt
        expect(await medusaPaymentsOf(captured)).toEqual([{ id: (await attempt(captured)).payment_id }])
        expect(await medusaPaymentsOf(other)).toHaveLength(0)
        expect((await atPaysys(other)).status).toBe(3)
        expect((await atPaysys(captured)).status).toBe(2)
      })

      it("the session re-created while the shopper is on the 3-D Secure page: the payment still places the order", async () => {
        const { cart, partnerTransId, confirmUrl } = await cartAtThreeDs()
        const collectionId = (await storefront.cart(cart.id)).payment_collection.id
        await newSession(collectionId) // Medusa deletes the session the attempt was made for
        await passThreeDs(confirmUrl, { code: THREE_DS_CODE })
        const settled = await settledAs(partnerTransId, ["captured"])
        expect(await ordersOf(cart.id)).toBe(1)
        expect(settled.session_id).not.toBe(partnerTransId.replace(/-1$/, ""))
        expect(await medusaPaymentsOf(partnerTransId)).toHaveLength(1)
        expect((await atPaysys(partnerTransId)).status).toBe(2)
      })

      /**
       * Attempt `replaced` made on a session the shopper then replaced, `current` on the new one;
       * both paid at PaySys, neither known to the ledger as paid yet (callbacks are dropped).
       */
      async function twoPaidAttemptsOfOneCart() {
        const first = await cartAtThreeDs()
        const session = await storefront.startPaysysSession(first.cart.id) // Medusa deletes the first session
        const second = await storefront.postCard(session.id, card(CARDS.mastercard))
        expect(second.status).toBe(200)
        await passThreeDs(first.confirmUrl, { code: THREE_DS_CODE })
        await passThreeDs(second.data.confirm_url, { code: THREE_DS_CODE })
        const collectionId = (await storefront.cart(first.cart.id)).payment_collection.id as string
        return { cart: first.cart, collectionId, replaced: first.partnerTransId, current: `${session.id}-1` }
      }

      /** What check_payment says, into the ledger (as a notification's processing would). */
      async function checked(partnerTransId: string) {
        const paysys = getContainer().resolve<PaysysModuleService>(PAYSYS_MODULE)
        const attempt = await checkAttempt(
          paysys.client,
          paysys.ledger,
          await paysys.ledger.retrieveAttempt(partnerTransId),
          paysys.schedule,
          "test"
        )
        expect(attempt.state).toBe("paid")
      }

      /** Both attempts settled: one order, paid by exactly one of them; the other given back at PaySys. */
      async function paidOnce(cartId: string, collectionId: string, partnerTransIds: string[]) {
        const final: LedgerAttempt[] = []
        for (const id of partnerTransIds) {
          final.push(await settledAs(id, ["captured", "reversed"]))
        }
        expect(final.map((a) => a.state).sort()).toEqual(["captured", "reversed"])
        expect(await ordersOf(cartId)).toBe(1)
        const live = await dbConnection.raw(
          `select data->>'partner_trans_id' as partner_trans_id from payment where payment_collection_id = ? and deleted_at is null and canceled_at is null`,
          [collectionId]
        )
        const payer = final.find((a) => a.state === "captured")!
        expect(live.rows).toEqual([{ partner_trans_id: payer.partner_trans_id }])
        for (const a of final) {
          expect((await atPaysys(a.partner_trans_id)).status).toBe(a === payer ? 2 : 3)
        }
        return payer.partner_trans_id
      }

      it("two paid attempts of one cart, one taken by a completion whose payment is on its way: the other is not made a payment", async () => {
        const { cart, collectionId, replaced, current } = await twoPaidAttemptsOfOneCart()
        const { ledger } = getContainer().resolve<PaysysModuleService>(PAYSYS_MODULE)
        await checked(replaced)
        await checked(current)
        // the shopper's completion took the current attempt; Medusa has not written its payment yet
        expect(await ledger.collections.claim(current)).toBe(true)
        expect(await ledger.collections.claim(replaced)).toBe(false)
        expect(await settlePaysysPayment(getContainer(), replaced)).toBe("pending")
        expect(await medusaPaymentsOf(replaced)).toHaveLength(0)
        // the completion goes on with the shopper's session, which settling left in place
        expect((await storefront.complete(cart.id)).data.type).toBe("order")
        expect(await paidOnce(cart.id, collectionId, [replaced, current])).toBe(current)
      })

      it("two paid attempts of one cart claimed at the same moment: exactly one is taken, and pays the order", async () => {
        const { cart, collectionId, replaced, current } = await twoPaidAttemptsOfOneCart()
        const { ledger } = getContainer().resolve<PaysysModuleService>(PAYSYS_MODULE)
        await checked(replaced)
        await checked(current)
        const taken = await Promise.all([ledger.collections.claim(replaced), ledger.collections.claim(current)])
        expect(taken.filter(Boolean)).toHaveLength(1)
        // refused when the replaced attempt was taken: reconciliation then completes the cart with it
        await storefront.complete(cart.id)
        await paidOnce(cart.id, collectionId, [replaced, current])
      })

      it("the shopper completes the cart while reconciliation settles the other paid attempt: one payment, whatever the timing", async () => {
        for (const delayMs of [0, 50, 150, 400]) {
          const { cart, collectionId, replaced, current } = await twoPaidAttemptsOfOneCart()
          await Promise.all([
            storefront.complete(cart.id),
            // it may fail (the completion deleted or took what it needed): the job looks again
            sleep(delayMs).then(() => settlePaysysPayment(getContainer(), replaced).catch(() => "failed")),
          ])
          // a completion that lost the race is tried again by the shopper; the cart ends paid once
          await storefront.complete(cart.id)
          await paidOnce(cart.id, collectionId, [replaced, current])
        }
      })

      it("the cart changed during 3-D Secure: the old amount is given back, the cart stays payable", async () => {
        const { cart, partnerTransId, confirmUrl } = await cartAtThreeDs()
        await api.post(
          `/store/carts/${cart.id}/line-items`,
          { variant_id: store.products[0].variantId, quantity: 1 },
          storefront.headers
        )
        await passThreeDs(confirmUrl, { code: THREE_DS_CODE })
        expect(await settledAs(partnerTransId, ["reversed"])).toMatchObject({ outcome: "cart_total_changed" })
        expect((await atPaysys(partnerTransId)).status).toBe(3)
        expect(await ordersOf(cart.id)).toBe(0)
        // the shopper pays the new total
        await sandbox.post("/callbacks", { mode: "normal" })
        const session = await storefront.startPaysysSession(cart.id)
        const posted = await storefront.postCard(session.id, card(CARDS.visa))
        await passThreeDs(posted.data.confirm_url, { code: THREE_DS_CODE })
        expect((await storefront.complete(cart.id)).data.type).toBe("order")
      })

      it("a payment completed after abandonAfterSeconds still places the order", async () => {
        const { cart, session, partnerTransId, confirmUrl } = await cartAtThreeDs()
        await settledAs(partnerTransId, ["open"])
        await waitFor("the session to ask the shopper again", async () => {
          await reconcilePaysysPayments(getContainer())
          const { rows } = await dbConnection.raw(`select status from payment_session where id = ?`, [session.id])
          return rows[0].status === "requires_more"
        })
        await passThreeDs(confirmUrl, { code: THREE_DS_CODE })
        await settledAs(partnerTransId, ["captured"])
        expect(await ordersOf(cart.id)).toBe(1)
      })

      it("a saved card's pay_by_id whose confirmation failed: one charge, and the job places the order", async () => {
        const customer = await signUpCustomer(api, store.publishableKey, `money-${Date.now()}@example.uz`)
        await sandbox.post("/callbacks", { mode: "normal" })
        const saved = await api.post(
          "/store/paysys/cards",
          { ...card(CARDS.mastercard), redirect_url: undefined },
          customer
        )
        await passThreeDs(saved.data.confirm_url, { code: THREE_DS_CODE })
        await waitFor("the card to be saved", async () => {
          const { rows } = await dbConnection.raw(`select status from paysys_saved_card where id = ?`, [
            saved.data.card.id,
          ])
          return rows[0].status === "active"
        })
        await sandbox.post("/callbacks", { mode: "drop" })
        const cart = await storefront.cartReadyForPayment("uzs", [
          { variantId: store.products[0].variantId, quantity: 1 },
        ])
        await api.post(`/store/carts/${cart.id}/customer`, {}, customer)
        const collection = await api.post("/store/payment-collections", { cart_id: cart.id }, customer)
        const sessions = await api.post(
          `/store/payment-collections/${collection.data.payment_collection.id}/payment-sessions`,
          { provider_id: "pp_paysys_paysys", data: { saved_card_id: saved.data.card.id } },
          customer
        )
        const sessionId = sessions.data.payment_collection.payment_sessions[0].id
        // the charge happens, its answer is lost, and PaySys cannot be asked for a while
        // (about this payment only: the job checking others meanwhile would use them up)
        const partnerTransId = `${sessionId}-1`
        await sandbox.post("/faults", {
          kind: "timeout",
          method: "paysys.pay_by_id",
          applyFirst: true,
          count: 1,
          partnerTransId,
        })
        await sandbox.post("/faults", { kind: "http_5xx", method: "paysys.check_payment", count: 4, partnerTransId })
        const first = await api.post(
          `/store/carts/${cart.id}/complete`,
          {},
          { ...customer, validateStatus: () => true }
        )
        expect(first.data.type).not.toBe("order")
        const again = await api.post(
          `/store/carts/${cart.id}/complete`,
          {},
          { ...customer, validateStatus: () => true }
        )
        expect(again.status).toBeLessThan(500)
        await settledAs(partnerTransId, ["captured"])
        expect(await ordersOf(cart.id)).toBe(1)
        // 4. pay_by_id was sent once for the attempt, whatever the retries
        expect(await callsOf("paysys.pay_by_id", partnerTransId)).toBe(1)
        const { rows } = await dbConnection.raw(`select count(*)::int as n from paysys_attempt where session_id = ?`, [
          sessionId,
        ])
        expect(rows[0].n).toBe(1)
      })

      it("a reversal whose answer was lost is settled from PaySys's status, and not sent again", async () => {
        const { cart, partnerTransId, confirmUrl } = await cartAtThreeDs()
        await api.post(
          `/store/carts/${cart.id}/line-items`,
          { variant_id: store.products[0].variantId, quantity: 1 },
          storefront.headers
        )
        await passThreeDs(confirmUrl, { code: THREE_DS_CODE })
        await sandbox.post("/faults", {
          kind: "timeout",
          method: "paysys.cancel_payment",
          applyFirst: true,
          count: 1,
          partnerTransId,
        })
        await settledAs(partnerTransId, ["reversed"])
        expect((await atPaysys(partnerTransId)).status).toBe(3)
        const { rows } = await dbConnection.raw(`select kind, state from paysys_refund where partner_trans_id = ?`, [
          partnerTransId,
        ])
        expect(rows).toEqual([{ kind: "cancel", state: "accepted" }])
      })

      it("an orphan whose reversal PaySys refuses is retried with its amount until PaySys gives it back", async () => {
        const { cart, partnerTransId, confirmUrl } = await cartAtThreeDs()
        await api.post(
          `/store/carts/${cart.id}/line-items`,
          { variant_id: store.products[0].variantId, quantity: 1 },
          storefront.headers
        )
        await passThreeDs(confirmUrl, { code: THREE_DS_CODE })
        await sandbox.post("/faults", {
          kind: "paysys_error",
          method: "paysys.cancel_payment",
          count: 1,
          code: -32315,
          message: "closed",
          partnerTransId,
        })
        await sandbox.post("/faults", {
          kind: "paysys_error",
          method: "paysys.refund_payment",
          count: 1,
          code: -32000,
          message: "later",
          partnerTransId,
        })
        await settledAs(partnerTransId, ["reversing"])
        const { rows } = await dbConnection.raw(
          `select kind, amount, state from paysys_refund where partner_trans_id = ? order by created_at`,
          [partnerTransId]
        )
        expect(rows).toEqual([
          { kind: "cancel", amount: (await atPaysys(partnerTransId)).amount, state: "refused" },
          { kind: "refund", amount: (await atPaysys(partnerTransId)).amount, state: "refused" },
        ])
        await settledAs(partnerTransId, ["reversed"])
        const paysys = await atPaysys(partnerTransId)
        expect(paysys.refunded_total).toBe(paysys.amount)
      })

      it("a reversal PaySys refuses with 429: nothing recorded as sent, the background budget pauses, the reversal goes again after Retry-After", async () => {
        const { cart, partnerTransId, confirmUrl } = await cartAtThreeDs()
        await api.post(
          `/store/carts/${cart.id}/line-items`,
          { variant_id: store.products[0].variantId, quantity: 1 },
          storefront.headers
        )
        await passThreeDs(confirmUrl, { code: THREE_DS_CODE })
        const retryAfterSeconds = 6
        await sandbox.post("/faults", {
          kind: "rate_limited",
          method: "paysys.cancel_payment",
          count: 1,
          retryAfterSeconds,
          partnerTransId,
        })
        const before = Date.now()
        const limited = await waitFor(
          "the reversal refused with 429",
          async () => {
            const result = await reconcilePaysysPayments(getContainer())
            return (await callsOf("paysys.cancel_payment", partnerTransId)) ? result : null
          },
          60_000,
          500
        )
        // the job's budget paused on it: the run stopped, and background work waits for Retry-After
        expect(limited.budgetSpent).toBe(true)
        const paused = await getContainer().resolve<PaysysModuleService>(PAYSYS_MODULE).callBudget().spend()
        expect(paused.granted).toBe(false)
        const row = (
          await dbConnection.raw(`select state, next_check_at from paysys_attempt where partner_trans_id = ?`, [
            partnerTransId,
          ])
        ).rows[0]
        expect(row.state).toBe("reversing")
        expect(new Date(row.next_check_at).getTime()).toBeGreaterThanOrEqual(before + retryAfterSeconds * 1000)
        // nothing reached PaySys: no refund row stays in doubt
        expect(
          (await dbConnection.raw(`select * from paysys_refund where partner_trans_id = ?`, [partnerTransId])).rows
        ).toEqual([])

        await settledAs(partnerTransId, ["reversed"])
        expect(Date.now() - before).toBeGreaterThanOrEqual(retryAfterSeconds * 1000)
        // given back by the reversal itself, not a refund after a reversal taken for tried
        const { rows } = await dbConnection.raw(`select kind, state from paysys_refund where partner_trans_id = ?`, [
          partnerTransId,
        ])
        expect(rows).toEqual([{ kind: "cancel", state: "accepted" }])
        expect(await callsOf("paysys.refund_payment", partnerTransId)).toBe(0)
        expect((await atPaysys(partnerTransId)).status).toBe(3)
      })
    })

    describe("5. a refund whose answer was lost is not sent again", () => {
      it("the admin retries after a timeout: PaySys refunded once, Medusa records it once", async () => {
        const { payment, partnerTransId } = await paidOrder()
        await sandbox.post("/faults", {
          kind: "timeout",
          method: "paysys.refund_payment",
          applyFirst: true,
          count: 1,
          partnerTransId,
        })
        const lost = await api.post(
          `/admin/payments/${payment.id}/refund`,
          { amount: 100_000 },
          { ...admin, validateStatus: () => true }
        )
        expect(lost.status).toBeGreaterThanOrEqual(400)
        expect((await atPaysys(partnerTransId)).refunded_total).toBe("10000000")
        // the admin tries again: told to wait while the lost call could still reach PaySys, then
        // the refund PaySys made is recorded, not sent again
        const retried = await waitFor(
          "the retried refund",
          async () => {
            const response = await api.post(
              `/admin/payments/${payment.id}/refund?fields=*refunds`,
              { amount: 100_000 },
              { ...admin, validateStatus: () => true }
            )
            if (response.status !== 200) {
              expect(response.data.message).toMatch(/in progress|try again/)
              return null
            }
            return response
          },
          60_000,
          1000
        )
        expect(retried.data.payment.refunds).toHaveLength(1)
        expect(await callsOf("paysys.refund_payment", partnerTransId)).toBe(1)
        expect((await atPaysys(partnerTransId)).refunded_total).toBe("10000000")
      })

      it("a refund whose outcome PaySys's status cannot tell is settled by the merchant from the PaySys cabinet, and never sent again", async () => {
        const { payment, partnerTransId, orderId } = await paidOrder()
        const refund = (amount: number) =>
          api.post(
            `/admin/payments/${payment.id}/refund?fields=*refunds`,
            { amount },
            { ...admin, validateStatus: () => true }
          )
        const inDoubt = () =>
          waitFor("the refund to be in doubt", async () => {
            await reconcilePaysysPayments(getContainer())
            const { data } = await api.get(`/admin/paysys/orders/${orderId}`, admin)
            return data.paysys.attention.find((item: { type: string }) => item.type === "refund_unknown") ?? null
          })
        const outcome = (refundId: string, body: unknown) =>
          api.post(`/admin/paysys/orders/${orderId}/paysys-refunds/${refundId}/outcome`, body, {
            ...admin,
            validateStatus: () => true,
          })
        expect((await refund(30_000)).status).toBe(200) // the payment is partly refunded: status 6 from now on

        // PaySys makes the next refund and its answer is lost: status 6 before and after, no way to tell
        await sandbox.post("/faults", {
          kind: "timeout",
          method: "paysys.refund_payment",
          applyFirst: true,
          count: 1,
          partnerTransId,
        })
        expect((await refund(20_000)).status).toBeGreaterThanOrEqual(400)
        const made = await inDoubt()
        expect(made).toMatchObject({ amount_major: "20000" })
        expect((await refund(5_000)).status).toBeGreaterThanOrEqual(400) // nothing more until it is settled
        const bad = await outcome(made.refund_id, { made: "yes" })
        expect(bad.status).toBe(400)
        expect(bad.data.message).toMatch(/made/)
        const settled = await outcome(made.refund_id, { made: true })
        expect(settled.status).toBe(200)
        expect(settled.data.paysys.attention).toEqual([])
        const afterMade = await api.get(`/admin/payments/${payment.id}?fields=*refunds`, admin)
        expect(afterMade.data.payment.refunds.map((r: { amount: number }) => Number(r.amount)).sort()).toEqual([
          20_000, 30_000,
        ])
        expect((await atPaysys(partnerTransId)).refunded_total).toBe("5000000")

        // PaySys never gets the next one: the merchant says so, and the refund can be made again
        await sandbox.post("/faults", { kind: "timeout", method: "paysys.refund_payment", count: 1, partnerTransId })
        expect((await refund(10_000)).status).toBeGreaterThanOrEqual(400)
        const notMade = await inDoubt()
        expect((await outcome(notMade.refund_id, { made: false })).status).toBe(200)
        expect((await outcome(notMade.refund_id, { made: false })).status).toBe(400) // settled once
        const again = await refund(10_000)
        expect(again.status).toBe(200)
        expect(again.data.payment.refunds).toHaveLength(3)
        expect((await atPaysys(partnerTransId)).refunded_total).toBe("6000000")
        expect(await callsOf("paysys.refund_payment", partnerTransId)).toBe(4) // 30k, 20k (made), 10k (lost), 10k
      })

      it("a full refund after a reversal made at PaySys sends nothing and is recorded once", async () => {
        const { payment, partnerTransId } = await paidOrder()
        await sandboxPaysysClient().cancelPayment({ partner_trans_id: partnerTransId }) // in the PaySys cabinet
        const refunded = await api.post(
          `/admin/payments/${payment.id}/refund?fields=*refunds`,
          { amount: payment.amount },
          admin
        )
        expect(refunded.data.payment.refunds).toHaveLength(1)
        expect(await callsOf("paysys.refund_payment", partnerTransId)).toBe(0)
        // the reversal's notification finds it recorded
        await sandbox.post("/notify", { partner_trans_id: partnerTransId })
        await waitFor("the notification processed", async () => {
          const { rows } = await dbConnection.raw(
            `select outcome from paysys_notification where partner_trans_id = ?`,
            [partnerTransId]
          )
          return rows.some((row: { outcome: string | null }) => row.outcome)
        })
        const { data } = await api.get(`/admin/payments/${payment.id}?fields=*refunds`, admin)
        expect(data.payment.refunds).toHaveLength(1)
      })
    })

    describe("6. payments that are not this store's are never touched", () => {
      it("a completed PaySys payment unknown to the ledger is left alone", async () => {
        const client = sandboxPaysysClient()
        const foreign = `foreign-${Date.now()}`
        const prepared = await client.preparePayment({
          card_holder_name: "OTHER SHOP",
          card_number: CARDS.visa,
          card_expire: "3012",
          card_cvc: "737",
          amount: "100000",
          currency: "uzs",
          vendor_id: "100381",
          partner_trans_id: foreign,
          client_ip_addr: "127.0.0.1",
          description: "another sales channel",
          redirect_url: "http://localhost:8000/",
        })
        await passThreeDs(prepared.confirm_url, { code: THREE_DS_CODE })
        await sandbox.post("/notify", { partner_trans_id: foreign })
        const outcome = await waitFor("the notification processed", async () => {
          const { rows } = await dbConnection.raw(
            `select outcome from paysys_notification where partner_trans_id = ?`,
            [foreign]
          )
          return rows[0]?.outcome
        })
        expect(outcome).toBe("unknown_payment")
        await reconcilePaysysPayments(getContainer())
        expect(await callsOf("paysys.cancel_payment", foreign)).toBe(0)
        expect((await atPaysys(foreign)).status).toBe(2)
      })
    })

    describe("7. failures are retried with backoff and a cap, and never block newer work", () => {
      it("a notification that keeps failing is parked; a newer one is processed", async () => {
        await sandbox.post("/callbacks", { mode: "hold" })
        const stuck = await cartAtThreeDs()
        await passThreeDs(stuck.confirmUrl, { code: THREE_DS_CODE })
        await sandbox.post("/faults", {
          kind: "http_5xx",
          method: "paysys.check_payment",
          count: 1000,
          partnerTransId: stuck.partnerTransId,
        })
        await sandbox.post("/callbacks/flush", { order: "fifo" })
        const parked = await waitFor(
          "the notification parked after 3 failures",
          async () => {
            await reconcilePaysysPayments(getContainer()).catch(() => undefined)
            const { rows } = await dbConnection.raw(
              `select attempts, parked_at from paysys_notification where partner_trans_id = ?`,
              [stuck.partnerTransId]
            )
            return rows.find((row: { parked_at: Date | null }) => row.parked_at)
          },
          60_000,
          500
        )
        expect(parked.attempts).toBe(3)
        await sandbox.delete("/faults")
        await sandbox.post("/callbacks", { mode: "normal" })
        const fresh = await cartAtThreeDs()
        await passThreeDs(fresh.confirmUrl, { code: THREE_DS_CODE })
        await waitFor("the newer payment's order", async () => (await ordersOf(fresh.cart.id)) === 1)
        // the parked one's attempt is in the ledger: the job settles it anyway
        await settledAs(stuck.partnerTransId, ["captured"])
        expect(await ordersOf(stuck.cart.id)).toBe(1)
      })

      it("an attempt whose prepare_payment never reached PaySys ends as never sent, and is not asked about again", async () => {
        const cart = await storefront.cartReadyForPayment("uzs", [
          { variantId: store.products[1].variantId, quantity: 1 },
        ])
        const session = await storefront.startPaysysSession(cart.id)
        await sandbox.post("/faults", {
          kind: "timeout",
          method: "paysys.prepare_payment",
          count: 1,
          partnerTransId: `${session.id}-1`,
        })
        const posted = await storefront.postCard(session.id, card(CARDS.visa))
        expect(posted.status).toBe(502)
        const ended = await settledAs(`${session.id}-1`, ["never_sent"])
        expect(ended.outcome).toBe("never_reached_paysys")
        const { rows } = await dbConnection.raw(`select next_check_at from paysys_attempt where partner_trans_id = ?`, [
          `${session.id}-1`,
        ])
        expect(rows[0].next_check_at).toBeNull()
        // the shopper tries again: a new attempt
        const retried = await storefront.postCard(session.id, card(CARDS.visa))
        expect(retried.data.payment_session.data.partner_trans_id).toBe(`${session.id}-2`)
      })
    })

    describe("8. refunds are booked only from what the plugin sent and PaySys accepted", () => {
      it("a status-6 notification carrying the transaction's amount adds no refund", async () => {
        const { payment, partnerTransId } = await paidOrder()
        // two partial refunds of the 145,000 UZS order
        await api.post(`/admin/payments/${payment.id}/refund`, { amount: 60_000 }, admin)
        await api.post(`/admin/payments/${payment.id}/refund`, { amount: 40_000 }, admin)
        const transaction = await atPaysys(partnerTransId)
        await api.post(
          "/hooks/paysys",
          { ...notificationBody(transaction), status: 6 },
          { headers: { authorization: BASIC } }
        )
        // the status-6 one: the payment's own status-2 notification may be processed after it
        const outcome = await waitFor("the notification processed", async () => {
          const { rows } = await dbConnection.raw(
            `select outcome from paysys_notification where partner_trans_id = ? and reported_status = '6'`,
            [partnerTransId]
          )
          return rows[0]?.outcome
        })
        expect(outcome).toBe("refund_noted")
        const { data } = await api.get(`/admin/payments/${payment.id}?fields=*refunds`, admin)
        expect(data.payment.refunds.map((r: { amount: number }) => r.amount).sort()).toEqual([40_000, 60_000])
      })

      it("a refund made in the PaySys cabinet is shown to the merchant, who records it with its amount", async () => {
        const { payment, partnerTransId, orderId } = await paidOrder()
        await sandboxPaysysClient().refundPayment({
          partner_trans_id: partnerTransId,
          amount: "5000000",
          currency: "uzs",
        })
        await sandbox.post("/notify", { partner_trans_id: partnerTransId })
        await waitFor(
          "the unexplained refund noticed",
          async () => (await attempt(partnerTransId)).outcome === "refund_unexplained"
        )
        const panel = (await api.get(`/admin/paysys/orders/${orderId}`, admin)).data.paysys
        expect(panel.attention).toEqual([{ type: "refund_unexplained" }])
        let { data } = await api.get(`/admin/payments/${payment.id}?fields=*refunds`, admin)
        expect(data.payment.refunds).toHaveLength(0)

        const bad = await api.post(
          `/admin/paysys/orders/${orderId}/paysys-refunds`,
          { amount: "-1" },
          { ...admin, validateStatus: () => true }
        )
        expect(bad.status).toBe(400)
        expect(bad.data.message).toMatch(/amount/)
        // more than was captured: Medusa refuses it, and the ledger keeps no row of it
        const tooMuch = await api.post(
          `/admin/paysys/orders/${orderId}/paysys-refunds`,
          { amount: "999999999" },
          { ...admin, validateStatus: () => true }
        )
        expect(tooMuch.status).toBe(400)
        const { rows: external } = await dbConnection.raw(
          `select id from paysys_refund where partner_trans_id = ? and origin = 'external'`,
          [partnerTransId]
        )
        expect(external).toEqual([])
        const recorded = await api.post(`/admin/paysys/orders/${orderId}/paysys-refunds`, { amount: "50000" }, admin)
        expect(recorded.data.paysys.attention).toEqual([])
        ;({ data } = await api.get(`/admin/payments/${payment.id}?fields=*refunds`, admin))
        expect(data.payment.refunds.map((r: { amount: number }) => r.amount)).toEqual([50_000])
        expect(await callsOf("paysys.refund_payment", partnerTransId)).toBe(1) // the cabinet's own
      })
    })

    describe("9. card fields of any JSON type are named, never echoed", () => {
      it.each(["card_number", "card_cvc", "card_expiry", "card_holder_name"])("%s sent as a number", async (field) => {
        const { session } = await cartAtThreeDs()
        const values: Record<string, number> = {
          card_number: 4111111111111111,
          card_cvc: 737,
          card_expiry: 1230,
          card_holder_name: 42,
        }
        const response = await storefront.postCard(session.id, { ...card(CARDS.visa), [field]: values[field] })
        expect(response.status).toBe(400)
        expect(response.data.message).toContain(field)
        expect(response.data.message).not.toContain(String(values[field]))
      })

      it("no card number is in any log line", () => {
        for (const number of Object.values(CARDS)) {
          expect(output.text()).not.toContain(number)
        }
      })
    })
  },
})

/** PaySys's status notification for a sandbox transaction, as PaySys sends it. */
function notificationBody(transaction: { transaction_id: string; partner_trans_id: string; amount: string }) {
  return {
    id: Number(transaction.transaction_id),
    account: transaction.partner_trans_id,
    amount: Number(transaction.amount),
    card_masked: "411111******1111",
    currency: 860,
    currency_name: "uzs",
    status: 2,
    date: "24.11.2026 10:00:00",
  }
}
