import { SANDBOX_ERRORS } from "../errors"
import { futureExpiry, preparePaymentRequest, startTestSandbox, submitThreeDs, TestSandbox, uniqueId } from "./helpers"

describe("PaySys sandbox faults on demand", () => {
  let sandbox: TestSandbox

  beforeAll(async () => {
    sandbox = await startTestSandbox()
  })

  afterAll(async () => {
    await sandbox.close()
  })

  afterEach(async () => {
    await sandbox.control("/faults", { method: "DELETE" })
  })

  const addFault = async (fault: Record<string, unknown>) => {
    const answer = await sandbox.control("/faults", { body: fault })
    expect(answer.status).toBe(200)
    return answer.body.fault
  }

  const exists = async (partnerTransId: string) => {
    const answer = await sandbox.rpc("paysys.check_payment", { partner_trans_id: partnerTransId })
    return answer.body.error === null
  }

  /** a raw POST, to see exactly what the gateway answered */
  const rawPost = (method: string, params: unknown, signal?: AbortSignal) =>
    fetch(sandbox.gatewayUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", Auth: `${sandbox.credentials.serviceId}-${"0".repeat(40)}-1` },
      body: JSON.stringify({ method, params, id: "x" }),
      signal,
    })

  it("latency: answers normally, later, for the next N calls of that method only", async () => {
    await addFault({ kind: "latency", method: "paysys.check_payment", latencyMs: 400, count: 1 })
    const prepareStart = Date.now()
    const request = preparePaymentRequest()
    await sandbox.rpc("paysys.prepare_payment", request)
    expect(Date.now() - prepareStart).toBeLessThan(300)

    const slowStart = Date.now()
    const slow = await sandbox.rpc("paysys.check_payment", { partner_trans_id: request.partner_trans_id })
    expect(Date.now() - slowStart).toBeGreaterThanOrEqual(390)
    expect(slow.body.result.status).toBe("0")

    const fastStart = Date.now()
    await sandbox.rpc("paysys.check_payment", { partner_trans_id: request.partner_trans_id })
    expect(Date.now() - fastStart).toBeLessThan(300)
  })

  it("http_5xx: answers the status with a body that is not JSON, and does nothing", async () => {
    await addFault({ kind: "http_5xx", status: 502, count: 1 })
    const request = preparePaymentRequest()
    const response = await fetch(sandbox.gatewayUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ method: "paysys.prepare_payment", params: request, id: "1" }),
    })
    expect(response.status).toBe(502)
    const text = await response.text()
    expect(() => JSON.parse(text)).toThrow()
    expect(await exists(request.partner_trans_id)).toBe(false)
  })

  it("timeout: accepts the request and never answers; nothing happens", async () => {
    await addFault({ kind: "timeout", method: "paysys.prepare_payment", count: 1 })
    const request = preparePaymentRequest()
    await expect(sandbox.rpc("paysys.prepare_payment", request, { signal: AbortSignal.timeout(300) })).rejects.toThrow()
    expect(await exists(request.partner_trans_id)).toBe(false)
    const { body } = await sandbox.control("/calls?method=paysys.prepare_payment")
    expect(body.calls[body.calls.length - 1]).toMatchObject({
      partner_trans_id: request.partner_trans_id,
      outcome: "fault timeout",
    })
  })

  it("timeout with applyFirst: the charge happens, the answer is lost", async () => {
    // a saved card
    const registered = await sandbox.rpc("mir.card_registration", {
      card_number: "4111111111111111",
      card_expire: futureExpiry(2, true),
      card_cvc: "123",
      card_holder: "CARDHOLDER NAME",
      account: "acc-1",
    })
    await submitThreeDs(registered.body.result.confirm_url, { code: "123456" })
    const { body: cardBody } = await sandbox.control(`/cards/${registered.body.result.card_id}`)

    await addFault({ kind: "timeout", method: "paysys.pay_by_id", applyFirst: true, count: 1 })
    const partnerTransId = uniqueId("lost")
    const params = {
      partner_trans_id: partnerTransId,
      card_id: registered.body.result.card_id,
      amount: "1139000",
      currency: "uzs",
      client_ip_addr: "1.1.1.1",
      description: "Month subscription",
      vendor_id: "100381",
    }
    await expect(
      sandbox.rpc("paysys.pay_by_id", params, {
        headers: { "Card-Token": cardBody.card.token },
        signal: AbortSignal.timeout(300),
      })
    ).rejects.toThrow()

    const checked = await sandbox.rpc("paysys.check_payment", { partner_trans_id: partnerTransId })
    expect(checked.body.result.status).toBe("2")
    // retrying with the same partner_trans_id cannot charge twice
    const retried = await sandbox.rpc("paysys.pay_by_id", params, { headers: { "Card-Token": cardBody.card.token } })
    expect(retried.body.error).toEqual(SANDBOX_ERRORS.DUPLICATE_PARTNER_TRANS_ID)
    const { body } = await sandbox.control("/calls?method=paysys.pay_by_id")
    expect(body.calls[0].outcome).toMatch(/^ok: .* \+ fault timeout \(applyFirst\)$/)
  })

  it("malformed_json: HTTP 200 with broken JSON", async () => {
    await addFault({ kind: "malformed_json", count: 1 })
    const response = await rawPost("paysys.check_payment", { partner_trans_id: "1" })
    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toContain("application/json")
    const text = await response.text()
    expect(() => JSON.parse(text)).toThrow()
  })

  it("malformed_json with applyFirst: the payment is created though the answer is unreadable", async () => {
    await addFault({ kind: "malformed_json", method: "paysys.prepare_payment", applyFirst: true, count: 1 })
    const request = preparePaymentRequest()
    await expect(sandbox.rpc("paysys.prepare_payment", request)).rejects.toThrow(SyntaxError)
    expect(await exists(request.partner_trans_id)).toBe(true)
  })

  it("paysys_error: answers the given error and does nothing", async () => {
    await addFault({
      kind: "paysys_error",
      method: "paysys.prepare_payment",
      code: -31500,
      message: "Bank is unavailable",
      count: 1,
    })
    const request = preparePaymentRequest()
    const answer = await sandbox.rpc("paysys.prepare_payment", request, { id: "abc" })
    expect(answer.body).toEqual({
      id: "abc",
      error: { code: -31500, message: "Bank is unavailable" },
      result: null,
      mx_id: expect.stringMatching(/^[0-9a-f]{32}$/),
    })
    expect(await exists(request.partner_trans_id)).toBe(false)
  })

  it("reset: destroys the connection", async () => {
    await addFault({ kind: "reset", count: 1 })
    const request = preparePaymentRequest()
    await expect(sandbox.rpc("paysys.prepare_payment", request)).rejects.toThrow(/fetch failed/)
    expect(await exists(request.partner_trans_id)).toBe(false)
  })

  it("applies to the next N calls, then stops; without count it lasts until DELETE", async () => {
    await addFault({ kind: "paysys_error", count: 2 })
    const outcomes = []
    for (let i = 0; i < 3; i++) {
      outcomes.push((await sandbox.rpc("paysys.check_payment", { partner_trans_id: "x" })).body.error.code)
    }
    expect(outcomes).toEqual([-32000, -32000, SANDBOX_ERRORS.TRANSACTION_NOT_FOUND.code])

    await addFault({ kind: "paysys_error" })
    expect((await sandbox.control("/faults")).body.faults).toHaveLength(1)
    for (let i = 0; i < 3; i++) {
      expect((await sandbox.rpc("paysys.check_payment", { partner_trans_id: "x" })).body.error.code).toBe(-32000)
    }
    const cleared = await sandbox.control("/faults", { method: "DELETE" })
    expect(cleared.body.cleared).toBe(1)
    expect((await sandbox.rpc("paysys.check_payment", { partner_trans_id: "x" })).body.error.code).toBe(
      SANDBOX_ERRORS.TRANSACTION_NOT_FOUND.code
    )
  })

  it("with partnerTransId: only calls about that payment meet it", async () => {
    await addFault({ kind: "paysys_error", method: "paysys.check_payment", partnerTransId: "mine", count: 1 })
    expect((await sandbox.rpc("paysys.check_payment", { partner_trans_id: "other" })).body.error).toEqual(
      SANDBOX_ERRORS.TRANSACTION_NOT_FOUND
    )
    expect((await sandbox.rpc("paysys.check_payment", { partner_trans_id: "mine" })).body.error.code).toBe(-32000)
    expect((await sandbox.control("/faults")).body.faults).toHaveLength(0)
  })

  it("refuses an invalid fault, naming the field", async () => {
    const badKind = await sandbox.control("/faults", { body: { kind: "explode" } })
    expect(badKind.status).toBe(400)
    expect(badKind.body.error.field).toBe("kind")
    const badMethod = await sandbox.control("/faults", { body: { kind: "timeout", method: "paysys.prepare" } })
    expect(badMethod.status).toBe(400)
    expect(badMethod.body.error.field).toBe("method")
    const badStatus = await sandbox.control("/faults", { body: { kind: "http_5xx", status: 404 } })
    expect(badStatus.body.error.field).toBe("status")
    const unknownField = await sandbox.control("/faults", { body: { kind: "timeout", cnt: 1 } })
    expect(unknownField.body.error.field).toBe("cnt")
    expect((await sandbox.control("/faults")).body.faults).toHaveLength(0)
  })
})
