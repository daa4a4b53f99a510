import { formatAutotest, runAutotest } from "../autotest"
import { autotestMain } from "../autotest-cli"
import { FormMerchant, startFormMerchant } from "./form-merchant"

const CREDENTIALS = { vendorId: "101234", secretKey: "demoSecret#2024!" }

describe("paysys-sandbox autotest against a merchant API", () => {
  const merchants: FormMerchant[] = []
  const merchant = async (broken?: "skips_signature_check" | "ignores_amount") => {
    const started = await startFormMerchant({ ...CREDENTIALS, orders: { "ORD-5001": "150000" }, broken })
    merchants.push(started)
    return started
  }
  afterAll(async () => {
    await Promise.all(merchants.map((m) => m.close()))
  })

  it("passes every check, the full scenario included, against a correct merchant", async () => {
    const target = await merchant()
    const results = await runAutotest({ baseUrl: target.url, ...CREDENTIALS, order: "ORD-5001", amount: "150000" })
    const report = formatAutotest(results)
    expect(results.filter((r) => r.outcome !== "pass")).toEqual([])
    expect(results.length).toBeGreaterThanOrEqual(28)
    expect(report).toContain("PASS  pay: bad signature -> -1")
    expect(report).toContain("PASS  scenario: statement lists the payment, STATE 2")
    expect(report).toMatch(/\d+ passed, 0 failed, 0 skipped$/)
    // the scenario really went through the merchant: paid, then cancelled
    expect(target.attempts).toEqual([expect.objectContaining({ order: "ORD-5001", state: "cancelled" })])
  })

  it("without an order, runs the single checks and skips the scenario, saying why", async () => {
    const target = await merchant()
    const results = await runAutotest({ baseUrl: target.url, ...CREDENTIALS })
    expect(results.filter((r) => r.outcome === "fail")).toEqual([])
    expect(results.filter((r) => r.outcome === "skip")).toEqual([
      { name: "pay: wrong amount -> -2", outcome: "skip", detail: "needs --order and --amount" },
      { name: "full scenario", outcome: "skip", detail: "needs --order and --amount" },
    ])
  })

  it("fails, naming the checks, against a merchant that skips the signature check", async () => {
    const target = await merchant("skips_signature_check")
    const results = await runAutotest({ baseUrl: target.url, ...CREDENTIALS, order: "ORD-5001", amount: "150000" })
    const failed = results.filter((r) => r.outcome === "fail").map((r) => r.name)
    expect(failed).toEqual(
      expect.arrayContaining([
        "info: bad signature -> -1",
        "pay: bad signature -> -1",
        "notify: bad signature -> -1",
        "cancel: bad signature -> -1",
        "statement: bad signature -> -1",
      ])
    )
    expect(formatAutotest(results)).toMatch(
      /FAIL {2}pay: bad signature -> -1: expected ERROR -1, got ERROR 0 "Success"/
    )
    expect(formatAutotest(results)).not.toMatch(/ 0 failed/)
  })

  it("fails the wrong-amount check against a merchant that ignores the amount", async () => {
    const target = await merchant("ignores_amount")
    const results = await runAutotest({ baseUrl: target.url, ...CREDENTIALS, order: "ORD-5001", amount: "150000" })
    expect(results.find((r) => r.name === "pay: wrong amount -> -2")).toMatchObject({
      outcome: "fail",
      detail: 'expected ERROR -2, got ERROR 0 "Success"',
    })
  })

  it("fails every check, saying why, when nothing answers", async () => {
    const target = await merchant()
    await target.close()
    const results = await runAutotest({ baseUrl: target.url, ...CREDENTIALS, timeoutMs: 2000 })
    expect(results.filter((r) => r.outcome === "fail").length).toBeGreaterThan(10)
    expect(results[0].detail).toMatch(/^no answer: /)
  })
})

describe("paysys-sandbox autotest, the command", () => {
  const run = async (argv: string[], env: NodeJS.ProcessEnv = {}) => {
    const output = { stdout: "", stderr: "" }
    const code = await autotestMain(
      argv,
      env,
      (t) => (output.stdout += t),
      (t) => (output.stderr += t)
    )
    return { code, ...output }
  }

  it("exits 0 printing a line per check against a correct merchant, credentials from the environment", async () => {
    const target = await startFormMerchant({ ...CREDENTIALS, orders: { "ORD-1": "5000" } })
    try {
      const { code, stdout } = await run([target.url, "--order", "ORD-1", "--amount", "5000"], {
        PAYSYS_FORM_VENDOR_ID: CREDENTIALS.vendorId,
        PAYSYS_FORM_SECRET_KEY: CREDENTIALS.secretKey,
      })
      expect(stdout).toContain("PASS  scenario: cancel again -> -9")
      expect(stdout).toMatch(/passed, 0 failed, 0 skipped/)
      expect(code).toBe(0)
    } finally {
      await target.close()
    }
  })

  it("exits 1 against a broken merchant, naming the failed check", async () => {
    const target = await startFormMerchant({ ...CREDENTIALS, broken: "skips_signature_check" })
    try {
      const { code, stdout } = await run([
        target.url,
        "--vendor-id",
        CREDENTIALS.vendorId,
        "--secret-key",
        CREDENTIALS.secretKey,
      ])
      expect(stdout).toMatch(/^FAIL {2}notify: bad signature -> -1: expected ERROR -1, got ERROR -6/m)
      expect(code).toBe(1)
    } finally {
      await target.close()
    }
  })

  it.each([
    [["http://x.test/api"], "--vendor-id is required"],
    [["not a url", "--vendor-id", "1", "--secret-key", "s"], "<merchant API base URL> must be an http(s) URL"],
    [
      ["http://x.test/api", "--vendor-id", "1", "--secret-key", "s", "--order", "A"],
      "--order and --amount go together",
    ],
    [
      ["http://x.test/api", "--vendor-id", "1", "--secret-key", "s", "--order", "A", "--amount", "1.5"],
      "--amount must be a positive whole number",
    ],
    [[], "give exactly one merchant API base URL"],
  ])("exits 2 on %j, saying %s", async (argv, message) => {
    const { code, stderr } = await run(argv)
    expect(stderr).toContain(message)
    expect(code).toBe(2)
  })
})
