import { integrationTestRunner } from "../helpers/test-runner"
import axios from "axios"
import Redis from "ioredis"
import { seedStore, SeededStore } from "../../scripts/seed-store"
import { card, CARDS, passThreeDs, sandboxControl, Storefront, THREE_DS_CODE } from "../helpers/checkout"
import { startMedusaInstance } from "../helpers/medusa-instance"
import { flushRedis, useRedisDatabase } from "../helpers/redis"
import { waitFor } from "../helpers/wait"
import { useEnv } from "../helpers/env"

jest.setTimeout(600_000)

const PER_SESSION = 4
// one session's card posts are limited (shared through Redis); the others leave room for the races' 20 cards
const roomy = { points: 1000, seconds: 600 }
useEnv({
  PAYSYS_RECONCILE_AFTER_SECONDS: "1",
  PAYSYS_LIMITS: JSON.stringify({
    paymentsPerIp: roomy,
    paymentsPerCart: roomy,
    paymentsPerCard: roomy,
    paymentsPerCustomer: roomy,
    paymentsPerSession: { points: PER_SESSION, seconds: 600 },
  }),
})
const redisUrl = useRedisDatabase(8)
const RACES = 20

/**
 * Two Medusa servers in separate processes sharing one database and one Redis (event bus,
 * workflow engine, locking): PaySys notifies one, the shopper completes on the other, and
 * the Redis event bus hands the processing to either.
 */
integrationTestRunner({
  hooks: { beforeServerStart: () => flushRedis(redisUrl) },
  testSuite: ({ api, getContainer, dbConnection, dbConfig }) => {
    let store: SeededStore
    const sandbox = sandboxControl()

    beforeAll(async () => {
      store = await seedStore(getContainer())
    })

    it(`notifications to one server, the shopper on the other, ${RACES} times: one order, one payment, one capture`, async () => {
      const second = await startMedusaInstance({
        DATABASE_URL: dbConfig.clientUrl,
        REDIS_URL: redisUrl,
        DISABLE_MEDUSA_ADMIN: "true",
      })
      const previous = (await sandbox.get("/config")).data
      try {
        await sandbox.post("/config", { notifyUrl: `${second.url}/hooks/paysys` })
        const storefront = new Storefront(api, store)
        for (let i = 0; i < RACES; i++) {
          await sandbox.post("/callbacks", { mode: "hold" })
          const cart = await storefront.cartReadyForPayment("uzs", [
            { variantId: store.products[1].variantId, quantity: 1 },
          ])
          const session = await storefront.startPaysysSession(cart.id)
          const posted = await storefront.postCard(session.id, card(CARDS.visa))
          await passThreeDs(posted.data.confirm_url, { code: THREE_DS_CODE })
          // at once: the shopper on the first server, the notification to the second, a copy to the first
          await Promise.all([
            storefront.complete(cart.id),
            sandbox.post("/callbacks/flush", { order: "fifo" }),
            sandbox.post("/notify", {
              partner_trans_id: `${session.id}-1`,
              url: `${api.defaults.baseURL}/hooks/paysys`,
            }),
          ])
          // one notification, received by both servers, processed once
          await waitFor("the notification processed", async () => {
            const { rows } = await dbConnection.raw(
              `select processed_at, deliveries from paysys_notification where partner_trans_id = ?`,
              [`${session.id}-1`]
            )
            return rows.length === 1 && rows[0].deliveries === 2 && rows[0].processed_at
          })
          const { rows } = await dbConnection.raw(
            `select
               (select count(*)::int from order_cart where cart_id = ? and deleted_at is null) as orders,
               (select count(*)::int from payment where payment_session_id = ? and deleted_at is null) as payments,
               (select count(*)::int from capture c join payment p on p.id = c.payment_id where p.payment_session_id = ?) as captures`,
            [cart.id, session.id, session.id]
          )
          expect(rows[0]).toEqual({ orders: 1, payments: 1, captures: 1 })
        }
        // the second server answers the store API too: same data
        const { data } = await axios.get(`${second.url}/store/regions`, {
          headers: { "x-publishable-api-key": store.publishableKey },
        })
        expect(data.regions.map((r: { currency_code: string }) => r.currency_code).sort()).toEqual(["usd", "uzs"])
      } finally {
        await sandbox.post("/config", { notifyUrl: previous.notifyUrl })
        await sandbox.post("/callbacks", { mode: "normal" })
        await second.stop()
      }
    })

    it("card posts to one session spread over both servers hit one limit, counted in Redis", async () => {
      const second = await startMedusaInstance({
        DATABASE_URL: dbConfig.clientUrl,
        REDIS_URL: redisUrl,
        DISABLE_MEDUSA_ADMIN: "true",
      })
      const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 })
      try {
        const storefront = new Storefront(api, store)
        const cart = await storefront.cartReadyForPayment("uzs", [
          { variantId: store.products[1].variantId, quantity: 1 },
        ])
        const session = await storefront.startPaysysSession(cart.id)
        const { data: log } = await sandbox.get("/calls")
        const before = Math.max(0, ...log.calls.map((call: { seq: number }) => call.seq))
        const postTo = (baseURL: string) =>
          axios.post(`${baseURL}/store/paysys/payment-sessions/${session.id}/card`, card(CARDS.visa), {
            headers: { "x-publishable-api-key": store.publishableKey },
            validateStatus: () => true,
          })

        const statuses = []
        for (let i = 0; i < PER_SESSION + 2; i++) {
          statuses.push((await postTo(i % 2 ? second.url : api.defaults.baseURL!)).status)
        }

        expect(statuses).toEqual([...Array(PER_SESSION).fill(200), 429, 429])
        const { data: calls } = await sandbox.get("/calls?method=paysys.prepare_payment")
        expect(calls.calls.filter((call: { seq: number }) => call.seq > before)).toHaveLength(PER_SESSION)
        // the counters are Redis's, not a process's or the database's
        expect(await redis.get(`paysys:velocity:pay:session:${session.id}`)).toBe(String(PER_SESSION + 2))
        const { rows } = await dbConnection.raw(`select count(*)::int as n from paysys_rate_limit`)
        expect(rows[0].n).toBe(0)
      } finally {
        redis.disconnect()
        await second.stop()
      }
    })
  },
})
