import { integrationTestRunner } from "../helpers/test-runner"
import { once } from "node:events"
import { createServer } from "node:http"
import { AddressInfo } from "node:net"
import reconcilePaysysPayments from "../../src/jobs/reconcile-paysys-payments"
import { seedStore, SeededStore } from "../../scripts/seed-store"
import { card, CARDS, sandboxControl, Storefront } from "../helpers/checkout"
import { registerCard, signUpCustomer } from "../helpers/customer"
import { useEnv } from "../helpers/env"
import { PAYSYS_REASON, testerCard } from "../helpers/attackers"
import { waitFor } from "../helpers/wait"

jest.setTimeout(180_000)

/*
 * Card testing: one client trying many cards. Small limits, so that the tests stay short; a
 * decline costs 2 points (the default).
 */
useEnv({
  PAYSYS_LIMITS: JSON.stringify({
    paymentsPerIp: { points: 6, seconds: 600 },
    paymentsPerSession: { points: 50, seconds: 3600 },
    paymentsPerCart: { points: 50, seconds: 3600 },
    paymentsPerCard: { points: 3, seconds: 3600 },
    paymentsPerCustomer: { points: 50, seconds: 3600 },
    registrationsPerCustomer: { points: 3, seconds: 86_400 },
  }),
})

/** A local CAPTCHA verifier, shaped as Turnstile's and hCaptcha's siteverify. */
const GOOD_TOKEN = "good-captcha-token"
const CAPTCHA_SECRET = "test-captcha-secret"
const verifications: URLSearchParams[] = []
const verifier = createServer((req, res) => {
  let body = ""
  req.on("data", (chunk) => (body += chunk))
  req.on("end", () => {
    const form = new URLSearchParams(body)
    verifications.push(form)
    const success = form.get("secret") === CAPTCHA_SECRET && form.get("response") === GOOD_TOKEN
    res.setHeader("content-type", "application/json")
    res.end(JSON.stringify({ success, "error-codes": success ? [] : ["invalid-input-response"] }))
  })
})
beforeAll(async () => {
  verifier.listen(0, "127.0.0.1")
  await once(verifier, "listening")
  const { port } = verifier.address() as AddressInfo
  const verifyUrl = `http://127.0.0.1:${port}/siteverify`
  process.env.PAYSYS_CAPTCHA = JSON.stringify({ verifyUrl, secret: CAPTCHA_SECRET, afterDeclines: 2 })
})
afterAll(async () => {
  delete process.env.PAYSYS_CAPTCHA
  verifier.close()
  await once(verifier, "close")
})

integrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    let store: SeededStore
    let storefront: Storefront
    const sandbox = sandboxControl()

    beforeAll(async () => {
      store = await seedStore(getContainer())
      storefront = new Storefront(api, store)
    })
    afterEach(async () => {
      await sandbox.delete("/faults")
    })

    const lastCallSeq = async () => {
      const { data } = await sandbox.get("/calls")
      return Math.max(0, ...data.calls.map((call: { seq: number }) => call.seq))
    }
    const callsSince = async (seq: number, method: string) => {
      const { data } = await sandbox.get(`/calls?method=${method}`)
      return data.calls.filter((call: { seq: number }) => call.seq > seq).length
    }
    const declineEveryCard = () =>
      sandbox.post("/faults", {
        kind: "paysys_error",
        method: "paysys.prepare_payment",
        code: -31100,
        message: PAYSYS_REASON,
      })
    const attemptsOf = async (sessionId: string) =>
      (await dbConnection.raw(`select bank from paysys_attempt where session_id = ? order by created_at`, [sessionId]))
        .rows as {
        bank: { error?: { message: string } } | null
      }[]

    async function newSession() {
      const cart = await storefront.cartReadyForPayment("uzs", [
        { variantId: store.products[0].variantId, quantity: 1 },
      ])
      return { cart, session: await storefront.startPaysysSession(cart.id) }
    }

    it("a card tester on one session is refused with 429 and Retry-After past the client's limit; PaySys hears no more", async () => {
      const { cart, session } = await newSession()
      await declineEveryCard()
      const before = await lastCallSeq()

      const answers = []
      for (let i = 0; i < 8; i++) {
        // solving every CAPTCHA does not help: the limits still hold
        answers.push(await storefront.postCard(session.id, card(testerCard(i), { captcha_token: GOOD_TOKEN })))
      }

      // 6 points per IP, a decline costs 2: three cards reach PaySys
      expect(answers.map((answer) => answer.status)).toEqual([400, 400, 400, 429, 429, 429, 429, 429])
      expect(await callsSince(before, "paysys.prepare_payment")).toBe(3)
      const refused = answers[3]
      expect(refused.data.type).toBe("too_many_attempts")
      expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0)
      expect(Number(refused.headers["retry-after"])).toBeLessThanOrEqual(600)
      // counted per IP, session, cart, customer and card (the cart's guest customer)
      const { rows: counters } = await dbConnection.raw(
        `select key, points from paysys_rate_limit where key like 'paysys:velocity:pay:%' order by key`
      )
      expect(counters.map((row: { key: string }) => row.key.replace(/:[^:]+$/, ""))).toEqual(
        [...Array(8).fill("card"), "cart", "customer", "ip", "session"].map((name) => `paysys:velocity:pay:${name}`)
      )
      // 8 posts, and 3 declines costing 1 more each
      expect(counters.find((row: { key: string }) => row.key.endsWith(`:cart:${cart.id}`))?.points).toBe(8 + 3)
      // nothing written for a refused post: three attempts in the ledger, each with PaySys's reason for the merchant
      const attempts = await attemptsOf(session.id)
      expect(attempts).toHaveLength(3)
      expect(attempts.every((attempt) => attempt.bank?.error?.message === PAYSYS_REASON)).toBe(true)

      // the storefront never learns why: the answer and the session data say card_declined
      for (const declined of answers.slice(0, 3)) {
        expect(declined.data).toEqual({ type: "card_declined", message: expect.stringMatching(/declined/i) })
      }
      const { data } = await api.get(
        `/store/carts/${cart.id}?fields=*payment_collection.payment_sessions`,
        storefront.headers
      )
      const stored = data.cart.payment_collection.payment_sessions[0].data
      expect(stored.error).toEqual({ code: "card_declined", message: expect.stringMatching(/declined/i) })
      expect(JSON.stringify([answers.map((answer) => answer.data), data])).not.toMatch(/stolen|issuer|31100/)
    })

    it("one card tried on many sessions is refused by its fingerprint, whatever the session", async () => {
      await declineEveryCard()
      const before = await lastCallSeq()
      const statuses = []
      for (let i = 0; i < 3; i++) {
        const { session } = await newSession()
        statuses.push((await storefront.postCard(session.id, card(CARDS.visa, { captcha_token: GOOD_TOKEN }))).status)
      }
      // 3 points per card: a decline and another decline spend them
      expect(statuses).toEqual([400, 400, 429])
      expect(await callsSince(before, "paysys.prepare_payment")).toBe(2)
      const fingerprintKeys = await dbConnection.raw(`select key from paysys_rate_limit where key like '%:pay:card:%'`)
      expect(fingerprintKeys.rows).toHaveLength(1)
      expect(JSON.stringify(fingerprintKeys.rows)).not.toMatch(/4111/)
    })

    it("after two declines a CAPTCHA is required: no token or a bad one is refused before PaySys, a good one passes", async () => {
      const { session } = await newSession()
      await sandbox.post("/faults", {
        kind: "paysys_error",
        method: "paysys.prepare_payment",
        count: 2,
        message: PAYSYS_REASON,
      })
      expect((await storefront.postCard(session.id, card(testerCard(100)))).status).toBe(400)
      expect((await storefront.postCard(session.id, card(testerCard(101)))).status).toBe(400)
      const before = await lastCallSeq()
      verifications.length = 0

      const withoutToken = await storefront.postCard(session.id, card(CARDS.visa))
      expect(withoutToken.status).toBe(428)
      expect(withoutToken.data.type).toBe("captcha_required")
      const badToken = await storefront.postCard(session.id, card(CARDS.visa, { captcha_token: "forged" }))
      expect(badToken.status).toBe(428)
      expect(badToken.data.type).toBe("captcha_required")
      expect(await callsSince(before, "paysys.prepare_payment")).toBe(0)
      expect(await attemptsOf(session.id)).toHaveLength(2)

      const goodToken = await storefront.postCard(session.id, card(CARDS.visa, { captcha_token: GOOD_TOKEN }))
      expect(goodToken.status).toBe(200)
      expect(goodToken.data.confirm_url).toMatch(/\/3ds\//)
      expect(await callsSince(before, "paysys.prepare_payment")).toBe(1)
      // siteverify's form: the secret, the token, the client's address
      expect(verifications.map((form) => [form.get("secret"), form.get("response"), form.get("remoteip")])).toEqual([
        [CAPTCHA_SECRET, "forged", "127.0.0.1"],
        [CAPTCHA_SECRET, GOOD_TOKEN, "127.0.0.1"],
      ])
    })

    it("completions charging a saved card count against its limit, a decline costing more: past it, 429 before pay_by_id", async () => {
      const customer = await signUpCustomer(api, store.publishableKey, `saved-${Date.now()}@example.uz`)
      // PaySys declines every charge of a card saved from this number
      const body = {
        card_holder_name: "Aziz Karimov",
        card_number: CARDS.declined,
        card_expiry: "11/29",
        card_cvc: "737",
      }
      const { id: savedCardId, row } = await registerCard(api, dbConnection, customer, body)
      expect(row?.status).toBe("active")
      const cart = await storefront.cartReadyForPayment("uzs", [
        { variantId: store.products[0].variantId, quantity: 1 },
      ])
      await api.post(`/store/carts/${cart.id}/customer`, {}, customer)
      const collection = await api.post("/store/payment-collections", { cart_id: cart.id }, customer)
      const before = await lastCallSeq()
      // as the storefront kit does: a new session for the saved card, then the completion that charges it
      const payWithSavedCard = async () => {
        await api.post(
          `/store/payment-collections/${collection.data.payment_collection.id}/payment-sessions`,
          { provider_id: "pp_paysys_paysys", data: { saved_card_id: savedCardId } },
          customer
        )
        return api.post(`/store/carts/${cart.id}/complete`, {}, { ...customer, validateStatus: () => true })
      }
      const cardPoints = async () => {
        const key = `paysys:velocity:pay:card:${savedCardId}`
        return (await dbConnection.raw(`select points from paysys_rate_limit where key = ?`, [key])).rows[0]?.points
      }

      const first = await payWithSavedCard()
      expect(first.status).not.toBe(429)
      // counted once the completion has answered: 1 for the charge, 1 more for the decline
      await waitFor("the first decline counted", async () => (await cardPoints()) === 2)
      const second = await payWithSavedCard()
      expect(second.status).not.toBe(429)
      await waitFor("the second decline counted", async () => (await cardPoints()) === 4)
      const third = await payWithSavedCard()

      expect(third.status).toBe(429)
      expect(third.data.type).toBe("too_many_attempts")
      expect(Number(third.headers["retry-after"])).toBeGreaterThan(0)
      expect(await callsSince(before, "paysys.pay_by_id")).toBe(2)
      expect(JSON.stringify([first.data, second.data])).not.toMatch(/issuer|31630/i)
    })

    it("a customer saving card after card is refused past the registration limit, before PaySys", async () => {
      const customer = await signUpCustomer(api, store.publishableKey, `tester-${Date.now()}@example.uz`)
      const before = await lastCallSeq()
      const statuses = []
      for (let i = 0; i < 5; i++) {
        const { card_number, card_holder_name, card_cvc } = card(testerCard(200 + i))
        const started = await api.post(
          "/store/paysys/cards",
          { card_number, card_holder_name, card_cvc, card_expiry: "11/29" },
          { ...customer, validateStatus: () => true }
        )
        statuses.push(started.status)
        if (started.status === 429) {
          expect(started.data.type).toBe("too_many_attempts")
          expect(Number(started.headers["retry-after"])).toBeGreaterThan(0)
        }
      }
      expect(statuses).toEqual([201, 201, 201, 429, 429])
      expect(await callsSince(before, "mir.card_registration")).toBe(3)
      const { rows } = await dbConnection.raw(`select count(*)::int as n from paysys_saved_card`)
      expect(rows[0].n).toBe(3)
    })

    it("a card registration still pending after pendingCardTtlSeconds is expired by the reconciliation job", async () => {
      const customer = await signUpCustomer(api, store.publishableKey, `abandoner-${Date.now()}@example.uz`)
      const register = async (number: string) =>
        (
          await api.post(
            "/store/paysys/cards",
            { card_holder_name: "Aziz Karimov", card_number: number, card_expiry: "11/29", card_cvc: "737" },
            customer
          )
        ).data.card.id as string
      const abandoned = await register(CARDS.mastercard)
      const fresh = await register(CARDS.visa)
      await dbConnection.raw(`update paysys_saved_card set created_at = now() - interval '2 hours' where id = ?`, [
        abandoned,
      ])

      const result = await reconcilePaysysPayments(getContainer())

      expect(result.expiredCards).toBe(1)
      const { rows } = await dbConnection.raw(
        `select id, status, deleted_at from paysys_saved_card order by created_at`
      )
      expect(rows).toEqual([
        { id: abandoned, status: "failed", deleted_at: expect.any(Date) },
        { id: fresh, status: "pending", deleted_at: null },
      ])
    })
  },
})
