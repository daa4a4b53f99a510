import { signAuthHeader } from "../../../../src/paysys/auth"
import { readCliConfig } from "../cli"
import { RequestRateLimit } from "../rate-limit"
import { startTestSandbox, TestSandbox, uniqueId } from "./helpers"

/** The sandbox speaks HTTP 429 as PaySys documents it: a fault on demand, and a request limit. */
describe("PaySys sandbox and HTTP 429", () => {
  const check = (sandbox: TestSandbox, partnerTransId = uniqueId("rl")) =>
    fetch(sandbox.gatewayUrl, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Auth: signAuthHeader(sandbox.credentials.serviceId, sandbox.credentials.secretKey),
      },
      body: JSON.stringify({ method: "paysys.check_payment", params: { partner_trans_id: partnerTransId }, id: 1 }),
    })

  describe("the rate_limited fault", () => {
    let sandbox: TestSandbox
    beforeAll(async () => {
      sandbox = await startTestSandbox()
    })
    afterAll(async () => {
      await sandbox.close()
    })
    beforeEach(async () => {
      await sandbox.control("/faults", { method: "DELETE" })
    })

    it("answers 429 with Retry-After in seconds, for count calls of one payment, and does nothing", async () => {
      const id = uniqueId("rl")
      const added = await sandbox.control("/faults", {
        body: {
          kind: "rate_limited",
          method: "paysys.check_payment",
          partnerTransId: id,
          count: 2,
          retryAfterSeconds: 7,
        },
      })
      expect(added.status).toBe(200)
      const other = await check(sandbox)
      expect(other.status).toBe(200)
      for (let i = 0; i < 2; i++) {
        const limited = await check(sandbox, id)
        expect(limited.status).toBe(429)
        expect(limited.headers.get("retry-after")).toBe("7")
        await limited.text()
      }
      expect((await check(sandbox, id)).status).toBe(200)
      const calls = (await sandbox.control("/calls?method=paysys.check_payment")).body.calls
      expect(
        calls
          .filter((c: { partner_trans_id: string }) => c.partner_trans_id === id)
          .map((c: { outcome: string }) => c.outcome)
      ).toEqual(["fault rate_limited", "fault rate_limited", expect.stringMatching(/^error -31004/)])
    })

    it("gives Retry-After as an HTTP date no earlier than retryAfterSeconds from now, or leaves it out", async () => {
      await sandbox.control("/faults", {
        body: { kind: "rate_limited", count: 1, retryAfterSeconds: 30, retryAfterFormat: "http-date" },
      })
      const before = Date.now()
      const dated = await check(sandbox)
      expect(dated.status).toBe(429)
      const date = Date.parse(dated.headers.get("retry-after") ?? "")
      expect(date).toBeGreaterThanOrEqual(before + 30_000)
      expect(date).toBeLessThanOrEqual(Date.now() + 31_000)

      await sandbox.control("/faults", { body: { kind: "rate_limited", count: 1, retryAfterFormat: "none" } })
      const bare = await check(sandbox)
      expect(bare.status).toBe(429)
      expect(bare.headers.has("retry-after")).toBe(false)
    })

    it("refuses applyFirst (a 429 is never carried out) and a bad wait, naming the field", async () => {
      const applied = await sandbox.control("/faults", { body: { kind: "rate_limited", applyFirst: true } })
      expect(applied.status).toBe(400)
      expect(applied.body.error.field).toBe("applyFirst")
      const negative = await sandbox.control("/faults", { body: { kind: "rate_limited", retryAfterSeconds: -1 } })
      expect(negative.status).toBe(400)
      expect(negative.body.error.field).toBe("retryAfterSeconds")
    })
  })

  describe("requestsPerMinute", () => {
    it("answers 429 past N gateway calls in a sliding minute, with the seconds until one leaves it", async () => {
      const sandbox = await startTestSandbox({ requestsPerMinute: 3 })
      try {
        const statuses = []
        for (let i = 0; i < 4; i++) {
          const answer = await check(sandbox)
          statuses.push(answer.status)
          if (answer.status === 429) {
            const wait = Number(answer.headers.get("retry-after"))
            expect(wait).toBeGreaterThanOrEqual(59)
            expect(wait).toBeLessThanOrEqual(60)
          }
          await answer.text()
        }
        expect(statuses).toEqual([200, 200, 200, 429])
        const calls = (await sandbox.control("/calls?method=paysys.check_payment")).body.calls
        expect(calls[3].outcome).toMatch(/^rate limited \(HTTP 429/)
        // reset forgets the calls counted
        await sandbox.control("/reset", { body: {} })
        expect((await check(sandbox)).status).toBe(200)
      } finally {
        await sandbox.close()
      }
    })

    it("counts a sliding minute", () => {
      let now = 1_000_000
      const limit = new RequestRateLimit(2, () => now)
      expect(limit.take()).toBeNull()
      now += 20_000
      expect(limit.take()).toBeNull()
      now += 10_000
      expect(limit.take()).toBe(30) // the first call leaves the window 30 s later
      now += 30_000
      expect(limit.take()).toBeNull()
      expect(limit.take()).toBe(20)
    })

    it("is off by default, and set by flag or environment variable", async () => {
      expect(readCliConfig(["--requests-per-minute", "100"], {}).options.requestsPerMinute).toBe(100)
      expect(readCliConfig([], { PAYSYS_SANDBOX_REQUESTS_PER_MINUTE: "50" }).options.requestsPerMinute).toBe(50)
      const sandbox = await startTestSandbox()
      try {
        for (let i = 0; i < 120; i++) {
          const answer = await check(sandbox)
          expect(answer.status).toBe(200)
          await answer.text()
        }
      } finally {
        await sandbox.close()
      }
      await expect(startTestSandbox({ requestsPerMinute: 0 })).rejects.toThrow(/requestsPerMinute/)
    })
  })
})
