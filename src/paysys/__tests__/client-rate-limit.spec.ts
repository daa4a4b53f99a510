import { DEFAULT_RETRY_AFTER_MS, parseRetryAfter, PaysysClient, PaysysLogger, PaysysRateLimitedError } from ".."
import { futureExpiry, startTestSandbox, TestSandbox, uniqueId } from "../../../packages/sandbox/src/__tests__/helpers"

/** HTTP 429 (PaySys's request limit) through the client, against the sandbox over real HTTP. */
describe("PaysysClient and HTTP 429", () => {
  let sandbox: TestSandbox
  let lines: string[]

  const logger: PaysysLogger = { debug: (line) => lines.push(line), warn: (line) => lines.push(line) }
  const makeClient = (overrides: Partial<ConstructorParameters<typeof PaysysClient>[0]> = {}) =>
    new PaysysClient({
      gatewayUrl: sandbox.gatewayUrl,
      serviceId: sandbox.credentials.serviceId,
      secretKey: sandbox.credentials.secretKey,
      timeoutMs: 5000,
      retryDelayMs: 10,
      logger,
      ...overrides,
    })
  const rateLimit = (body: Record<string, unknown>) =>
    sandbox.control("/faults", { body: { kind: "rate_limited", ...body } })
  const callsOf = async (method: string) =>
    (await sandbox.control(`/calls?method=${method}`)).body.calls as {
      at: string
      partner_trans_id: string | null
      outcome: string
    }[]
  const callsAbout = async (method: string, partnerTransId: string) =>
    (await callsOf(method)).filter((call) => call.partner_trans_id === partnerTransId)
  const gapMs = (calls: { at: string }[]) => Date.parse(calls[1].at) - Date.parse(calls[0].at)

  beforeAll(async () => {
    sandbox = await startTestSandbox()
  })
  afterAll(async () => {
    await sandbox.close()
  })
  beforeEach(async () => {
    lines = []
    await sandbox.control("/faults", { method: "DELETE" })
  })

  it("parses Retry-After as delta-seconds or an HTTP date; absent or garbage is the default", () => {
    const now = Date.parse("2026-12-07T10:00:00Z")
    expect(parseRetryAfter("7", now)).toBe(7000)
    expect(parseRetryAfter(" 0 ", now)).toBe(0)
    expect(parseRetryAfter("Mon, 07 Dec 2026 10:00:30 GMT", now)).toBe(30_000)
    expect(parseRetryAfter("Mon, 07 Dec 2026 09:59:00 GMT", now)).toBe(0)
    for (const garbage of [undefined, "", "soon", "-5", "1.5", "12abc", ["3"]]) {
      expect(parseRetryAfter(garbage, now)).toBe(DEFAULT_RETRY_AFTER_MS)
    }
  })

  it("check_payment answered 429 is asked again no sooner than Retry-After (delta-seconds)", async () => {
    const id = uniqueId("rl-read")
    await rateLimit({ method: "paysys.check_payment", partnerTransId: id, count: 1, retryAfterSeconds: 1 })
    const error = await makeClient()
      .checkPayment({ partner_trans_id: id })
      .catch((e) => e)
    // asked twice: the second time the sandbox answers (not found: nothing was prepared)
    expect(error).toMatchObject({ name: "PaysysError", code: -31004 })
    const calls = await callsAbout("paysys.check_payment", id)
    expect(calls.map((call) => call.outcome)).toEqual(["fault rate_limited", expect.stringMatching(/^error -31004/)])
    expect(gapMs(calls)).toBeGreaterThanOrEqual(1000)
    expect(lines.join("\n")).toMatch(/rate limited \(HTTP 429\).*retry after 1000 ms/)
  })

  it("check_payment answered 429 with an HTTP date waits until that date", async () => {
    const id = uniqueId("rl-date")
    await rateLimit({
      method: "paysys.check_payment",
      partnerTransId: id,
      count: 1,
      retryAfterSeconds: 1,
      retryAfterFormat: "http-date",
    })
    await makeClient()
      .checkPayment({ partner_trans_id: id })
      .catch(() => null)
    const calls = await callsAbout("paysys.check_payment", id)
    expect(calls).toHaveLength(2)
    expect(gapMs(calls)).toBeGreaterThanOrEqual(1000)
  })

  it("a wait longer than rateLimitMaxWaitMs is the caller's: thrown at once, with the wait", async () => {
    const id = uniqueId("rl-long")
    await rateLimit({ method: "paysys.check_payment", partnerTransId: id, count: 1, retryAfterSeconds: 3 })
    const error = await makeClient({ rateLimitMaxWaitMs: 2000 })
      .checkPayment({ partner_trans_id: id })
      .catch((e) => e)
    expect(error).toBeInstanceOf(PaysysRateLimitedError)
    expect(error).toMatchObject({ method: "paysys.check_payment", retryAfterMs: 3000, mayHaveReachedPaysys: false })
    expect(await callsAbout("paysys.check_payment", id)).toHaveLength(1)
  })

  it("no Retry-After: the default wait, longer than any in-client wait, so the caller reschedules", async () => {
    const id = uniqueId("rl-none")
    await rateLimit({ method: "paysys.check_payment", partnerTransId: id, count: 1, retryAfterFormat: "none" })
    const error = await makeClient()
      .checkPayment({ partner_trans_id: id })
      .catch((e) => e)
    expect(error).toBeInstanceOf(PaysysRateLimitedError)
    expect(error.retryAfterMs).toBe(DEFAULT_RETRY_AFTER_MS)
    expect(await callsAbout("paysys.check_payment", id)).toHaveLength(1)
  })

  it("a read is asked again at most readRetries times", async () => {
    const id = uniqueId("rl-count")
    await rateLimit({ method: "paysys.check_payment", partnerTransId: id, count: 5, retryAfterSeconds: 0 })
    const error = await makeClient({ readRetries: 1 })
      .checkPayment({ partner_trans_id: id })
      .catch((e) => e)
    expect(error).toBeInstanceOf(PaysysRateLimitedError)
    expect(await callsAbout("paysys.check_payment", id)).toHaveLength(2)
  })

  describe("a write answered 429 is sent exactly once and thrown at once", () => {
    const card = { card_number: "4111111111111111", card_cvc: "737" }
    const writes: [string, (client: PaysysClient, id: string) => Promise<unknown>][] = [
      [
        "paysys.prepare_payment",
        (client, id) =>
          client.preparePayment({
            ...card,
            card_holder_name: "AZIZ KARIMOV",
            card_expire: futureExpiry(),
            amount: "1139000",
            currency: "uzs",
            vendor_id: sandbox.credentials.vendorId,
            partner_trans_id: id,
            client_ip_addr: "192.4.59.3",
            description: "Month subscription",
          }),
      ],
      [
        "paysys.pay_by_id",
        (client, id) =>
          client.payById(
            {
              partner_trans_id: id,
              card_id: "c1",
              amount: "100",
              currency: "rub",
              client_ip_addr: "1.1.1.1",
              description: "x",
              vendor_id: "1",
            },
            "token"
          ),
      ],
      ["paysys.cancel_payment", (client, id) => client.cancelPayment({ partner_trans_id: id })],
      [
        "paysys.refund_payment",
        (client, id) => client.refundPayment({ partner_trans_id: id, amount: "100", currency: "uzs" }),
      ],
      [
        "mir.card_registration",
        (client) =>
          client.registerCard({
            ...card,
            card_expire: futureExpiry(3, true),
            card_holder: "AZIZ KARIMOV",
            account: "998901234567",
          }),
      ],
      ["mir.remove_card_token", (client) => client.removeCardToken({ card_id: "c1", card_token: "token" })],
    ]

    it.each(writes)("%s", async (method, send) => {
      await rateLimit({ method, count: 1, retryAfterSeconds: 0 })
      const before = (await callsOf(method)).length
      const error: any = await send(makeClient({ readRetries: 2 }), uniqueId("rl-write")).catch((e) => e)
      expect(error).toBeInstanceOf(PaysysRateLimitedError)
      expect(error).toMatchObject({ method, retryAfterMs: 0, mayHaveReachedPaysys: false })
      expect(error.message).toMatch(/HTTP 429/)
      const after = await callsOf(method)
      expect(after).toHaveLength(before + 1)
      expect(after[after.length - 1].outcome).toBe("fault rate_limited")
      expect(lines.join("\n")).not.toMatch(/retrying/)
    })
  })
})
