import { signAuthHeader } from "../../../../src/paysys/auth"
import { SANDBOX_ERRORS } from "../errors"
import { parseSandboxOptions, SandboxOptionsError } from "../options"
import { startPaysysSandbox } from "../server"
import { payWithThreeDs, preparePaymentRequest, startTestSandbox, TestSandbox } from "./helpers"

describe("PaySys sandbox control API", () => {
  let sandbox: TestSandbox
  const logLines: string[] = []

  beforeAll(async () => {
    sandbox = await startTestSandbox({ logger: { info: (line) => logLines.push(line) } })
  })

  afterAll(async () => {
    await sandbox.close()
  })

  it("GET /__sandbox/calls counts PaySys round trips per method; POST /calls/reset forgets them", async () => {
    await sandbox.control("/calls/reset", { body: {} })
    const { partnerTransId } = await payWithThreeDs(sandbox)
    await sandbox.rpc("paysys.check_payment", { partner_trans_id: partnerTransId })
    await sandbox.rpc("paysys.check_payment", { partner_trans_id: partnerTransId })
    await sandbox.rpc("paysys.check_payment", { partner_trans_id: "unknown" })

    const { body } = await sandbox.control("/calls")
    expect(body.total).toBe(4)
    expect(body.counts).toEqual({ "paysys.prepare_payment": 1, "paysys.check_payment": 3 })
    expect(body.calls[0]).toMatchObject({
      seq: expect.any(Number),
      method: "paysys.prepare_payment",
      partner_trans_id: partnerTransId,
      outcome: expect.stringMatching(/^ok: transaction \d+, status 0$/),
      error_code: null,
      mx_id: expect.stringMatching(/^[0-9a-f]{32}$/),
    })
    expect(body.calls[3]).toMatchObject({
      partner_trans_id: "unknown",
      error_code: SANDBOX_ERRORS.TRANSACTION_NOT_FOUND.code,
    })
    expect(new Date(body.calls[0].at).getTime()).toBeGreaterThan(Date.now() - 60_000)

    const filtered = await sandbox.control("/calls?method=paysys.check_payment")
    expect(filtered.body.calls).toHaveLength(3)

    await sandbox.control("/calls/reset", { body: {} })
    expect((await sandbox.control("/calls")).body).toEqual({ total: 0, counts: {}, calls: [] })
  })

  it("the logger gets one line per call, without card data", async () => {
    logLines.length = 0
    const request = preparePaymentRequest({ card_number: "5555555555554444" })
    await sandbox.rpc("paysys.prepare_payment", request)
    await sandbox.rpc("paysys.prepare_payment", { ...request, card_number: "5555555555554445", partner_trans_id: "x" })
    expect(logLines).toEqual([
      expect.stringMatching(new RegExp(`^paysys\\.prepare_payment partner_trans_id=${request.partner_trans_id} -> ok`)),
      "paysys.prepare_payment partner_trans_id=x -> error -31101: card_number: invalid card number",
    ])
    expect(logLines.join("\n")).not.toMatch(/555555555555444/)
  })

  it("GET /__sandbox/transactions lists them, /transactions/:id shows one, 404 otherwise", async () => {
    const { partnerTransId } = await payWithThreeDs(sandbox)
    const list = await sandbox.control("/transactions")
    expect(list.body.transactions.map((t: { partner_trans_id: string }) => t.partner_trans_id)).toContain(
      partnerTransId
    )
    const one = await sandbox.control(`/transactions/${encodeURIComponent(partnerTransId)}`)
    expect(one.body.transaction).toMatchObject({
      partner_trans_id: partnerTransId,
      status: 2,
      amount: "1139000",
      currency: "uzs",
    })
    const missing = await sandbox.control("/transactions/nope")
    expect(missing.status).toBe(404)
  })

  it("POST /__sandbox/clock moves the sandbox clock; bodies are validated", async () => {
    const before = (await sandbox.control("/clock")).body
    const moved = await sandbox.control("/clock", { body: { advanceMs: 3_600_000 } })
    expect(moved.body.offset_ms).toBe(before.offset_ms + 3_600_000)
    expect(new Date(moved.body.now).getTime() - Date.now()).toBeGreaterThan(3_500_000)

    const negative = await sandbox.control("/clock", { body: { advanceMs: -5 } })
    expect(negative.status).toBe(400)
    expect(negative.body.error.field).toBe("advanceMs")
    const notJson = await fetch(`${sandbox.url}/__sandbox/clock`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{",
    })
    expect(notJson.status).toBe(400)
    expect((await notJson.json()).error.field).toBe("body")
  })

  it("validates callback behaviours and notify bodies, naming the field", async () => {
    const badMode = await sandbox.control("/callbacks", { body: { mode: "explode" } })
    expect(badMode.status).toBe(400)
    expect(badMode.body.error.field).toBe("mode")
    const badCopies = await sandbox.control("/callbacks", { body: { mode: "duplicate", copies: 1 } })
    expect(badCopies.body.error.field).toBe("copies")
    const neither = await sandbox.control("/notify", { body: {} })
    expect(neither.status).toBe(400)
    expect(neither.body.error.field).toBe("partner_trans_id")
    const missing = await sandbox.control("/notify", { body: { partner_trans_id: "nope" } })
    expect(missing.status).toBe(404)
  })

  describe("writes a web page could send cross-site (CSRF) are refused", () => {
    const write = (path: string, init: { headers?: Record<string, string>; body?: string; method?: string }) =>
      fetch(`${sandbox.url}/__sandbox${path}`, {
        method: init.method ?? "POST",
        headers: init.headers,
        body: init.body,
      })

    it("a POST that is not application/json: 415, and nothing changes", async () => {
      const before = (await sandbox.control("/clock")).body.offset_ms
      for (const headers of [
        { "Content-Type": "text/plain;charset=UTF-8" },
        { "Content-Type": "application/x-www-form-urlencoded" },
        { "Content-Type": "multipart/form-data; boundary=x" },
        {} as Record<string, string>,
      ]) {
        const refused = await write("/clock", { headers, body: JSON.stringify({ advanceMs: 60_000 }) })
        expect(refused.status).toBe(415)
        expect((await refused.json()).error.field).toBe("Content-Type")
      }
      const bodiless = await write("/reset", {})
      expect(bodiless.status).toBe(415)
      expect((await sandbox.control("/clock")).body.offset_ms).toBe(before)
    })

    it("a write from another origin or site: 403, even as JSON", async () => {
      const json = { "Content-Type": "application/json" }
      const fromPage = await write("/clock", {
        headers: { ...json, Origin: "https://attacker.example" },
        body: '{"advanceMs":1}',
      })
      expect(fromPage.status).toBe(403)
      expect((await fromPage.json()).error.field).toBe("Origin")
      const crossSite = await write("/faults", { method: "DELETE", headers: { "Sec-Fetch-Site": "cross-site" } })
      expect(crossSite.status).toBe(403)
      const otherPort = await write("/reset", { headers: { ...json, Origin: "http://localhost:8000" }, body: "{}" })
      expect(otherPort.status).toBe(403)
    })

    it("JSON from the sandbox's own origin, from tools (no Origin), and reads still work; so do its 3-D Secure pages", async () => {
      const own = new URL(sandbox.url).origin
      const json = { "Content-Type": "application/json; charset=utf-8" }
      expect(
        (
          await write("/calls/reset", {
            headers: { ...json, Origin: own, "Sec-Fetch-Site": "same-origin" },
            body: "{}",
          })
        ).status
      ).toBe(200)
      expect((await write("/calls/reset", { headers: json })).status).toBe(200)
      expect(
        (await fetch(`${sandbox.url}/__sandbox/calls`, { headers: { "Sec-Fetch-Site": "cross-site" } })).status
      ).toBe(200)
      // the 3-D Secure page posts a form (urlencoded) to /3ds, not to the control API
      const { submitted, partnerTransId } = await payWithThreeDs(sandbox)
      expect(submitted.status).toBe(200)
      expect((await sandbox.control(`/transactions/${partnerTransId}`)).body.transaction.status).toBe(2)
    })
  })

  it("answers 404 for an unknown route and 405 for a wrong method", async () => {
    expect((await sandbox.control("/nothing")).status).toBe(404)
    const wrongMethod = await fetch(`${sandbox.url}/__sandbox/transactions`, { method: "DELETE" })
    expect(wrongMethod.status).toBe(405)
    expect(wrongMethod.headers.get("allow")).toBe("GET")
  })

  it("POST /__sandbox/reset forgets everything", async () => {
    const other = await startTestSandbox()
    try {
      const { partnerTransId } = await payWithThreeDs(other)
      await other.control("/faults", { body: { kind: "latency", latencyMs: 1 } })
      await other.control("/clock", { body: { advanceMs: 1000 } })
      await other.control("/reset", { body: {} })
      expect((await other.control("/transactions")).body.transactions).toEqual([])
      expect((await other.control("/calls")).body.total).toBe(0)
      expect((await other.control("/faults")).body.faults).toEqual([])
      expect((await other.control("/notifications")).body.notifications).toEqual([])
      expect((await other.control("/clock")).body.offset_ms).toBe(0)
      const checked = await other.rpc("paysys.check_payment", { partner_trans_id: partnerTransId })
      expect(checked.body.error).toEqual(SANDBOX_ERRORS.TRANSACTION_NOT_FOUND)
    } finally {
      await other.close()
    }
  })

  it("GET /__sandbox describes the sandbox; GET / is an HTML index with the gateway URL and test cards", async () => {
    const described = await sandbox.control("")
    expect(described.body).toMatchObject({
      gateway_url: sandbox.gatewayUrl,
      credentials: { service_id: "sandbox-service" },
    })
    const index = await fetch(`${sandbox.url}/`)
    const html = await index.text()
    expect(index.headers.get("content-type")).toContain("text/html")
    expect(html).toContain(sandbox.gatewayUrl)
    for (const card of [
      "4111111111111111",
      "5555555555554444",
      "2200000000000004",
      "4000000000000002",
      "4000000000009995",
      "4000000000000101",
    ]) {
      expect(html).toContain(card)
    }
  })

  it("uses publicUrl for confirm_url", async () => {
    const other = await startTestSandbox({ publicUrl: "https://sandbox.example.com/" })
    try {
      expect(other.gatewayUrl).toBe("https://sandbox.example.com/gateway")
      const prepared = await fetch(`${other.localUrl}/gateway`, {
        method: "POST",
        headers: { Auth: signAuthHeader("sandbox-service", "sandbox-secret") },
        body: JSON.stringify({ method: "paysys.prepare_payment", params: preparePaymentRequest(), id: 1 }),
      }).then((r) => r.json())
      expect(prepared.result.confirm_url).toMatch(/^https:\/\/sandbox\.example\.com\/3ds\/payment\/[0-9a-f]{32}$/)
    } finally {
      await other.close()
    }
  })
})

describe("PaySys sandbox options", () => {
  it("starts with no options at all (defaults)", () => {
    const options = parseSandboxOptions()
    expect(options).toMatchObject({
      host: "127.0.0.1",
      port: 4010,
      serviceId: "sandbox-service",
      secretKey: "sandbox-secret",
      vendorId: "100381",
      vendorMethod: "sandbox-vendor",
      vendorSecretKey: "sandbox-vendor-secret",
      authToleranceMs: 300_000,
      threeDsCode: "123456",
    })
    expect(options.notifyUrl).toBeUndefined()
  })

  it.each([
    [{ port: 70000 }, "port"],
    [{ port: 1.5 }, "port"],
    [{ notifyUrl: "not a url" }, "notifyUrl"],
    [{ notifyUrl: "ftp://example.com/hook" }, "notifyUrl"],
    [{ serviceId: "" }, "serviceId"],
    [{ authToleranceMs: -1 }, "authToleranceMs"],
    [{ notifyURL: "http://example.com" }, "notifyURL"],
  ])("refuses %j, naming %s", async (input, option) => {
    await expect(startPaysysSandbox(input as never)).rejects.toThrow(SandboxOptionsError)
    try {
      parseSandboxOptions(input as never)
      throw new Error("expected a SandboxOptionsError")
    } catch (error) {
      expect(error).toBeInstanceOf(SandboxOptionsError)
      expect((error as SandboxOptionsError).option).toBe(option)
      expect((error as Error).message).toContain(option)
    }
  })

  it("says which port is in use", async () => {
    const first = await startPaysysSandbox({ port: 0 })
    try {
      await expect(startPaysysSandbox({ port: first.port })).rejects.toThrow(/in use/)
    } finally {
      await first.close()
    }
  })

  it("close() ends even with a request a timeout fault keeps open", async () => {
    const sandbox = await startTestSandbox()
    await sandbox.control("/faults", { body: { kind: "timeout" } })
    const pending = sandbox.rpc("paysys.check_payment", { partner_trans_id: "x" }).catch((error: Error) => error)
    await new Promise((resolve) => setTimeout(resolve, 100))
    const startedAt = Date.now()
    await sandbox.close()
    expect(Date.now() - startedAt).toBeLessThan(1000)
    // the client sees the connection end (fetch's TypeError comes from another realm under jest)
    expect(((await pending) as Error).message).toBe("fetch failed")
  })
})
