import { integrationTestRunner } from "../helpers/test-runner"
import reconcilePaysysPayments from "../../src/jobs/reconcile-paysys-payments"
import { PAYSYS_MODULE, PaysysModuleService } from "../../src/modules/paysys"
import { checkAttempt } from "../../src/modules/paysys/check-attempt"
import paysysNotificationReceived from "../../src/subscribers/paysys-notification-received"
import { COUNTERS_TABLE } from "../../src/modules/paysys/limiter-store"
import { seedStore, SeededStore } from "../../scripts/seed-store"
import { card, CARDS, passThreeDs, sandboxControl, Storefront, THREE_DS_CODE } from "../helpers/checkout"
import { useEnv } from "../helpers/env"
import { waitFor } from "../helpers/wait"

jest.setTimeout(300_000)

const BUDGET = 20

// a budget small enough to spend in a test; no Redis here: the budget is counted in PostgreSQL
useEnv({
  PAYSYS_RECONCILE_AFTER_SECONDS: "1",
  PAYSYS_REVERSE_AFTER_SECONDS: "1",
  PAYSYS_BACKGROUND_CALLS_PER_MINUTE: String(BUDGET),
})

type Call = { seq: number; method: string; partner_trans_id: string | null }

/**
 * PaySys's request budget for background work, over the store API and the job against the
 * sandbox: money first, the job stops when the budget is spent and leaves the rest in place,
 * a callback's confirmation waits for the budget.
 */
integrationTestRunner({
  testSuite: ({ getContainer, api, dbConnection }) => {
    let store: SeededStore
    let storefront: Storefront
    const sandbox = sandboxControl()

    beforeAll(async () => {
      store = await seedStore(getContainer())
      storefront = new Storefront(api, store)
    })
    beforeEach(async () => {
      await dbConnection.raw(`delete from ${COUNTERS_TABLE}`).catch(() => undefined) // a fresh minute
      await sandbox.post("/callbacks", { mode: "drop" })
    })
    afterEach(() => sandbox.post("/callbacks", { mode: "normal" }))

    const callsSince = async (seq: number): Promise<Call[]> =>
      (await sandbox.get("/calls")).data.calls.filter((call: Call) => call.seq > seq)
    const lastSeq = async () => Math.max(0, ...(await callsSince(0)).map((call) => call.seq))
    const ordersOf = async (cartId: string) =>
      (
        await dbConnection.raw(`select count(*)::int as n from order_cart where cart_id = ? and deleted_at is null`, [
          cartId,
        ])
      ).rows[0].n

    /** A cart paid at PaySys (3-D Secure passed) whose callback never came: no order yet. */
    async function paidWithoutOrder() {
      const cart = await storefront.cartReadyForPayment("uzs", [
        { variantId: store.products[1].variantId, quantity: 1 },
      ])
      const session = await storefront.startPaysysSession(cart.id)
      const posted = await storefront.postCard(session.id, card(CARDS.visa))
      expect(posted.status).toBe(200)
      await passThreeDs(posted.data.confirm_url, { code: THREE_DS_CODE })
      return { cart, partnerTransId: `${session.id}-1` }
    }

    /** Attempts abandoned on the bank's page, due for a look since an hour ago. */
    async function abandonedAttemptsDue(count: number, prefix: string): Promise<Date> {
      const paysys = getContainer().resolve<PaysysModuleService>(PAYSYS_MODULE)
      const dueSince = new Date(Date.now() - 3600_000)
      for (let n = 0; n < count; n++) {
        await paysys.ledger.createAttempt(
          {
            partner_trans_id: `${prefix}-${n}`,
            provider_id: "pp_paysys_paysys",
            kind: "card",
            session_id: `payses_${prefix}_${n}`,
            payment_collection_id: `pay_col_${prefix}_${n}`,
            amount: "14500000",
            currency: "uzs",
            next_check_at: new Date(dueSince.getTime() + n),
          },
          "test: on the bank's page"
        )
        await paysys.ledger.updateAttempt(`${prefix}-${n}`, { event: "paysys_open" }, "test: abandoned there")
      }
      return dueSince
    }

    it("paid attempts without an order are settled in the first run, ahead of abandoned ones; the run stops at the budget, leaving the rest in place", async () => {
      const paysys = getContainer().resolve<PaysysModuleService>(PAYSYS_MODULE)
      // one the ledger knows paid (a shopper's look, say), and one whose callback was lost, not looked at yet
      const paid = await paidWithoutOrder()
      await checkAttempt(
        paysys.client,
        paysys.ledger,
        await paysys.ledger.retrieveAttempt(paid.partnerTransId),
        paysys.schedule,
        "test"
      )
      const lost = await paidWithoutOrder()
      // abandoned attempts, looked at before, all due before both
      const abandoned = 3 * BUDGET
      const dueSince = await abandonedAttemptsDue(abandoned, "abandoned")
      await dbConnection.raw(`update paysys_attempt set checks = 3 where partner_trans_id like 'abandoned-%'`)
      // a second ago: the job's clock reads milliseconds, PostgreSQL's now() microseconds
      await dbConnection.raw(
        `update paysys_attempt set next_check_at = now() - interval '1 second' where partner_trans_id in (?, ?)`,
        [paid.partnerTransId, lost.partnerTransId]
      )

      const before = await lastSeq()
      const run = await reconcilePaysysPayments(getContainer())
      expect(run.budgetSpent).toBe(true)
      for (const { cart, partnerTransId } of [paid, lost]) {
        expect(await ordersOf(cart.id)).toBe(1)
        expect((await paysys.ledger.retrieveAttempt(partnerTransId)).state).toBe("captured")
      }

      const calls = await callsSince(before)
      const checkedAbandoned = calls.filter((call) => call.partner_trans_id?.startsWith("abandoned-"))
      expect(checkedAbandoned.length).toBeGreaterThan(0)
      // the budget held the run (the paid attempt's completion spends a few calls of its own)
      expect(calls.length).toBeLessThanOrEqual(BUDGET + 4)
      // those not looked at keep their place: due as before, in the same order
      const { rows } = await dbConnection.raw(
        `select count(*)::int as n from paysys_attempt where partner_trans_id like 'abandoned-%' and next_check_at < ? and checks = 3`,
        [new Date(dueSince.getTime() + abandoned)]
      )
      expect(rows[0].n).toBe(abandoned - checkedAbandoned.length)

      // with the budget spent, the next run asks PaySys nothing
      const idle = await lastSeq()
      expect(await reconcilePaysysPayments(getContainer())).toMatchObject({ attempts: 0, budgetSpent: true })
      expect(await callsSince(idle)).toHaveLength(0)
    })

    it("a callback's confirmation waits for the budget, uncounted as a failure, and is not lost", async () => {
      const paid = await paidWithoutOrder()
      const budget = getContainer().resolve<PaysysModuleService>(PAYSYS_MODULE).callBudget()
      while ((await budget.spend()).granted) {
        // spend this minute's calls, as a busy job would
      }
      const before = await lastSeq()
      await sandbox.post("/notify", { partner_trans_id: paid.partnerTransId })
      const deferred = await waitFor(
        "the notification to be deferred",
        async () =>
          (
            await dbConnection.raw(
              `select * from paysys_notification where partner_trans_id = ? and next_attempt_at is not null`,
              [paid.partnerTransId]
            )
          ).rows[0],
        30_000,
        200
      )
      expect(deferred).toMatchObject({ processed_at: null, parked_at: null, attempts: 0 })
      expect(new Date(deferred.next_attempt_at).getTime()).toBeGreaterThan(Date.now())
      expect((await callsSince(before)).filter((call) => call.method === "paysys.check_payment")).toHaveLength(0)
      expect(await ordersOf(paid.cart.id)).toBe(0)

      // once the budget has room (a new minute), the job confirms it and places the order
      await dbConnection.raw(`delete from ${COUNTERS_TABLE}`)
      await dbConnection.raw(
        `update paysys_notification set next_attempt_at = now() - interval '1 second' where id = ?`,
        [deferred.id]
      )
      await reconcilePaysysPayments(getContainer())
      expect(await ordersOf(paid.cart.id)).toBe(1)
    })

    // last: the app stays in its shutdown from here on
    it("a server shutting down ends the job's run after the looks in flight, and leaves new notifications to the job; the rest stays due", async () => {
      const paysys = getContainer().resolve<PaysysModuleService>(PAYSYS_MODULE)
      const due = 16
      await abandonedAttemptsDue(due, "stopping")
      await sandbox.post("/faults", { kind: "latency", method: "paysys.check_payment", latencyMs: 1000 })
      const before = await lastSeq()
      const running = reconcilePaysysPayments(getContainer())
      // the first looks answered, the next ones asked: Medusa starts its shutdown
      await waitFor("the first looks", async () => (await callsSince(before)).length > 0, 30_000, 50)
      await paysys.__hooks.onApplicationPrepareShutdown()
      const run = await running
      await sandbox.delete("/faults")
      expect(run.attempts).toBeGreaterThan(0)
      expect(run.attempts).toBeLessThan(due)
      const { rows } = await dbConnection.raw(
        `select count(*)::int as n from paysys_attempt where partner_trans_id like 'stopping-%' and checks = 0 and next_check_at < now()`
      )
      expect(rows[0].n).toBe(due - run.attempts)

      // a notification that comes now is recorded, and left unprocessed for the job of a running server
      const paid = await paidWithoutOrder()
      const asked = await lastSeq()
      await sandbox.post("/notify", { partner_trans_id: paid.partnerTransId })
      const recorded = await waitFor(
        "the notification recorded",
        async () =>
          (
            await dbConnection.raw(`select id from paysys_notification where partner_trans_id = ?`, [
              paid.partnerTransId,
            ])
          ).rows[0],
        30_000,
        100
      )
      await paysysNotificationReceived({
        event: { name: "", data: { id: recorded.id } },
        container: getContainer(),
      } as any)
      const { rows: left } = await dbConnection.raw(
        `select processed_at, attempts from paysys_notification where id = ?`,
        [recorded.id]
      )
      expect(left[0]).toEqual({ processed_at: null, attempts: 0 })
      expect(await callsSince(asked)).toHaveLength(0)
    })
  },
})
