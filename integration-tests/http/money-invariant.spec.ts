import { integrationTestRunner } from "../helpers/test-runner"
import { mapWithConcurrency } from "../../src/workflows/map-with-concurrency"
import { seedStore } from "../../scripts/seed-store"
import { loginAdmin } from "../helpers/admin"
import { CARDS, card, sandboxControl, Storefront } from "../helpers/checkout"
import { registerCard, signUpCustomer } from "../helpers/customer"
import { useEnv } from "../helpers/env"
import {
  checkMoneyInvariant,
  reportViolations,
  sandboxBaseline,
  settleLedger,
  StoryIndex,
  Violation,
} from "../helpers/money-invariant"
import { playStory, Saver, seededRandom, StoryWorld } from "../helpers/shopper-stories"
import { checkAttackers } from "../helpers/attack-checks"
import { StoryLimits } from "../helpers/attackers"

// about 8 minutes on an idle 2-core machine: room for one beside another suite and other work
jest.setTimeout(1_800_000)

const SEED = Number(process.env.PAYSYS_STORY_SEED ?? Math.floor(Math.random() * 2 ** 31))
const STORIES = Number(process.env.PAYSYS_STORIES ?? 200)
const CONCURRENCY = 8
const REPLAY = `PAYSYS_STORY_SEED=${SEED} PAYSYS_STORIES=${STORIES}`

/*
 * The card-testing limits on, per client address (each story has its own), session and cart, so
 * that no honest story reaches them (at most 3 tries of a double click each, a saved card charged
 * by up to 3 completions) and every card tester does. The stories share the sandbox's few test
 * cards and one guest customer, which in life are thousands: those limits are out of their way.
 */
const LIMITS: StoryLimits = { paymentsPerIp: 12, paymentsPerSession: 10 }
const unlimited = { points: 1_000_000, seconds: 3600 }

// faults time out in 2 s; the job looks at anything older than 1 s, reverses after 1 s, and
// checks again within seconds, so the ledger settles while the test waits
useEnv({
  PAYSYS_TIMEOUT_MS: "2000",
  PAYSYS_RECONCILE_AFTER_SECONDS: "1",
  PAYSYS_ABANDON_AFTER_SECONDS: "2",
  PAYSYS_REVERSE_AFTER_SECONDS: "1",
  PAYSYS_RECONCILE_BACKOFF_SECONDS: "1,1,1,2,2,2,2,2,2,2",
  PAYSYS_LIMITS: JSON.stringify({
    paymentsPerIp: { points: LIMITS.paymentsPerIp, seconds: 3600 },
    paymentsPerSession: { points: LIMITS.paymentsPerSession, seconds: 3600 },
    paymentsPerCart: { points: 16, seconds: 3600 },
    paymentsPerCard: unlimited,
    paymentsPerCustomer: unlimited,
  }),
})

integrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    const sandbox = sandboxControl()
    let world: StoryWorld

    beforeAll(async () => {
      const store = await seedStore(getContainer())
      const savers: Saver[] = []
      // a few customers with a saved card each; one card declines pay_by_id
      for (const [i, number] of [CARDS.mastercard, CARDS.visa, CARDS.mir, CARDS.declined].entries()) {
        const customer = await signUpCustomer(api, store.publishableKey, `story-saver${i}-${Date.now()}@example.uz`)
        const { id, row } = await registerCard(api, dbConnection, customer, card(number, { redirect_url: undefined }))
        if (id && row?.status === "active") {
          savers.push({ headers: customer.headers, savedCardId: id, number })
        }
      }
      expect(savers.length).toBeGreaterThan(0)
      world = {
        api,
        store,
        storefront: new Storefront(api, store),
        admin: await loginAdmin(api, getContainer()),
        savers,
        dbConnection,
        limits: LIMITS,
      }
      // the first carts create the guest customer of their email: not 8 at once (Medusa refuses the race)
      await world.storefront.cartReadyForPayment("uzs", [{ variantId: store.products[0].variantId, quantity: 1 }])
    })
    afterAll(async () => {
      await sandbox.delete("/faults")
      await sandbox.post("/callbacks", { mode: "normal" })
      await sandbox.post("/callbacks/flush", { order: "fifo" })
    })

    it(`${STORIES} random shopper stories leave no money without an order or returned behind one (seed ${SEED})`, async () => {
      const started = Date.now()
      const baseline = await sandboxBaseline()
      const numbers = Array.from({ length: STORIES }, (_, i) => i + 1)
      const outcomes = await mapWithConcurrency(numbers, CONCURRENCY, (n) =>
        playStory(world, n, seededRandom(SEED ^ Math.imul(n, 0x9e3779b1)))
      )
      const stories = outcomes.map((o) => (o as PromiseFulfilledResult<Awaited<ReturnType<typeof playStory>>>).value)
      const played = Date.now()

      // PaySys behaves again and the held callbacks arrive, last first; then the job settles everything
      await sandbox.delete("/faults")
      await sandbox.post("/callbacks", { mode: "normal" })
      await sandbox.post("/callbacks/flush", { order: "reverse" })
      const index = new StoryIndex(stories)
      const settled = await settleLedger(getContainer(), dbConnection, index, 60_000)
      const attacks = await checkAttackers(dbConnection, baseline, index, LIMITS)
      const violations: Violation[] = [
        ...stories
          .filter((s) => s.error)
          .map((s) => ({ stories: [s.number], text: `the story broke off: ${s.error}` })),
        ...settled.violations,
        ...(await checkMoneyInvariant(dbConnection, baseline, index)),
        ...attacks.violations,
      ]
      const testers = stories.filter((s) => s.kind === "card tester").length
      const strangers = stories.filter((s) => s.steps.some((step) => step.startsWith("stranger"))).length
      const replays = stories.filter((s) => s.steps.some((step) => step.startsWith("notification #"))).length
      console.log(
        `[money invariant] seed ${SEED}: ${STORIES} stories (${testers} card testers, ${strangers} with a stranger, ${replays} with replayed notifications) in ${Math.round((played - started) / 1000)} s, ` +
          `${settled.runs} job run(s) in ${Math.round((Date.now() - played) / 1000)} s, ${violations.length} violation(s)` +
          attacks.notes.map((note) => `\n  ${note}`).join("")
      )
      if (violations.length) {
        throw new Error(reportViolations(violations, index, REPLAY))
      }
    })
  },
})
