import Redis from "ioredis"
import { PaysysRateLimitedError } from "../../../paysys"
import { countingCalls } from "../background-call-count"
import { PaysysCallBudget } from "../paysys-call-budget"
import { LimiterStore } from "../limiter-store"

// two servers' budgets on one Redis (127.0.0.1:6379, a database of this test's own)
const REDIS_URL = `${process.env.PAYSYS_TEST_REDIS_URL ?? "redis://127.0.0.1:6379"}/14`

/** A PaySys client stand-in: each asynchronous method is one call; the predicate asks PaySys nothing. */
const paysys = () =>
  countingCalls({
    checkPayment: async () => ({ status: 1 }),
    cancelPayment: async () => ({ status: 3 }),
    isTransactionNotFound: (error: unknown) => error === "not found",
  })

// one store per simulated server, as each server's module has; Redis only, so no database is needed
const stores: LimiterStore[] = []
const store = (url: string) => {
  const made = new LimiterStore(url, null as never)
  stores.push(made)
  return made
}

describe("PaySys's background request budget, shared by all servers", () => {
  let redis: Redis
  beforeEach(async () => {
    redis = new Redis(REDIS_URL)
    await redis.flushdb()
  })
  afterEach(() => redis.disconnect())
  afterAll(() => Promise.all(stores.map((s) => s.close())))

  it("is one count for every server: once spent, every server's background work waits", async () => {
    const [serverA, serverB] = [new PaysysCallBudget(store(REDIS_URL), 5), new PaysysCallBudget(store(REDIS_URL), 5)]
    const client = paysys()
    for (const budget of [serverA, serverB, serverA, serverB, serverA]) {
      expect(await budget.run(() => client.checkPayment())).toEqual({ deferred: false, value: { status: 1 } })
    }
    let ran = false
    const refused = await serverB.run(async () => (ran = true))
    expect(refused).toMatchObject({ deferred: true })
    expect(ran).toBe(false)
    expect((refused as { retryInMs: number }).retryInMs).toBeGreaterThan(0)
    expect((refused as { retryInMs: number }).retryInMs).toBeLessThanOrEqual(60_000)
  })

  it("counts the calls work made: more than one are spent, none are given back", async () => {
    const budget = new PaysysCallBudget(store(REDIS_URL), 4)
    const client = paysys()
    // settling that checked, reversed and checked again: three calls; asking whether an error
    // was "not found" is none
    await budget.run(async () => {
      await client.checkPayment()
      client.isTransactionNotFound("not found")
      await client.cancelPayment()
      return client.checkPayment()
    })
    // nothing to ask PaySys (a form attempt before its Pay): its call is given back
    await budget.run(async () => "no call")
    expect(await budget.run(() => client.checkPayment())).toMatchObject({ deferred: false })
    expect(await budget.run(() => client.checkPayment())).toMatchObject({ deferred: true })
    // calls made outside background work (a checkout) are not the budget's
    await client.checkPayment()
  })

  it("PaySys's 429 pauses background work on every server until Retry-After has passed", async () => {
    const [serverA, serverB] = [
      new PaysysCallBudget(store(REDIS_URL), 100),
      new PaysysCallBudget(store(REDIS_URL), 100),
    ]
    const limited = await serverA.run(async () => {
      throw new PaysysRateLimitedError("paysys.check_payment", 2000)
    })
    expect(limited).toEqual({ deferred: true, retryInMs: 2000, rateLimited: true })
    const paused = await serverB.run(async () => "ran")
    expect(paused).toMatchObject({ deferred: true })
    const retryInMs = (paused as { retryInMs: number }).retryInMs
    expect(retryInMs).toBeGreaterThan(1000)
    expect(retryInMs).toBeLessThanOrEqual(2000)
    // once Retry-After has passed (the pause's own expiry, as Redis keeps it), work runs again
    await new Promise((resolve) => setTimeout(resolve, retryInMs + 50))
    expect(await serverB.run(async () => "ran")).toEqual({ deferred: false, value: "ran" })
  })

  it("a budget that cannot be counted (its Redis unreachable) runs nothing: PaySys's limit is not ours to risk", async () => {
    let ran = false
    const unreachable = new PaysysCallBudget(store("redis://127.0.0.1:1"), 100)
    const outcome = await unreachable.run(async () => (ran = true))
    expect(outcome).toMatchObject({ deferred: true, unavailable: expect.any(String) })
    expect(ran).toBe(false)
  })

  it("other failures are the work's own: thrown, the budget untouched", async () => {
    const budget = new PaysysCallBudget(store(REDIS_URL), 100)
    await expect(budget.run(async () => Promise.reject(new Error("PaySys unavailable")))).rejects.toThrow(
      "PaySys unavailable"
    )
    expect(await budget.run(async () => "ran")).toEqual({ deferred: false, value: "ran" })
  })
})
