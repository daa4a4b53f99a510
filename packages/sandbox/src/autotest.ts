import { randomInt } from "node:crypto"
import { MERCHANT_API_PATHS, MerchantCallback } from "../../../src/paysys-form/assumptions"
import { signedRequest } from "../../../src/paysys-form/callbacks"
import { FORM_ERRORS } from "../../../src/paysys-form/error-codes"
import { checkFiscalSum, fiscalizationAnswer } from "../../../src/paysys-form/fiscal"
import { payAnswer, statementAnswer } from "../../../src/paysys-form/schemas"
import { SignedMessage, SignedValues } from "../../../src/paysys-form/signatures"
import { statementLineProblems } from "../../../src/paysys-form/statement"

/*
 * `paysys-sandbox autotest <merchant API base URL>`: what PaySys's cabinet auto-test sends,
 * replayed against a merchant's deployment: garbage bodies, bad
 * signatures, an unknown order, a wrong amount, and, given a real order, the full scenario
 * Info, Pay, Pay again, Notify 2, Statement, Fiscalization, Cancel, Notify 3.
 * Each callback goes to `<base>/<path>` (MERCHANT_API_PATHS).
 */

export type AutotestOptions = {
  baseUrl: string
  vendorId: string
  secretKey: string
  /** an order that exists at the merchant, unpaid (MERCHANT_TRANS_ID as the form was opened) */
  order?: string
  /** its MERCHANT_TRANS_AMOUNT, as the form sent it (whole sum) */
  amount?: string
  environment?: "sandbox" | "live"
  timeoutMs?: number
  now?: () => number
}

export type CheckOutcome = "pass" | "fail" | "skip"
export type CheckResult = { name: string; outcome: CheckOutcome; detail: string }

type Answer = { httpStatus: number; body: Record<string, unknown> | null; raw: string }

/** Fiscalization is optional: a 404 there is a skip, not a failure. */
const OPTIONAL: ReadonlySet<MerchantCallback> = new Set(["fiscalization"])

export async function runAutotest(options: AutotestOptions): Promise<CheckResult[]> {
  const results: CheckResult[] = []
  const now = options.now ?? Date.now
  const environment = options.environment ?? "sandbox"
  const base = options.baseUrl.replace(/\/+$/, "")

  const send = async (callback: MerchantCallback, body: string): Promise<Answer> => {
    const response = await fetch(`${base}/${MERCHANT_API_PATHS[callback]}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    })
    const raw = await response.text()
    let parsed: unknown = null
    try {
      parsed = JSON.parse(raw)
    } catch {
      parsed = null
    }
    const isObject = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
    return { httpStatus: response.status, body: isObject ? (parsed as Record<string, unknown>) : null, raw }
  }
  const signed = <M extends SignedMessage & MerchantCallback>(message: M, values: SignedValues<M>) =>
    send(message, JSON.stringify(signedRequest(message, options.secretKey, values)))
  const forged = <M extends SignedMessage & MerchantCallback>(message: M, values: SignedValues<M>) =>
    send(message, JSON.stringify(signedRequest(message, `${options.secretKey}-wrong`, values)))

  /** Runs one check: `expect` returns null when the answer is right, else what was wrong. */
  const check = async (
    name: string,
    callback: MerchantCallback,
    call: () => Promise<Answer>,
    expect: (answer: Answer) => string | null
  ) => {
    let answer: Answer
    try {
      answer = await call()
    } catch (error) {
      results.push({ name, outcome: "fail", detail: `no answer: ${(error as Error).message}` })
      return null
    }
    if (answer.httpStatus === 404 && OPTIONAL.has(callback)) {
      results.push({ name, outcome: "skip", detail: `${callback} is not served (optional)` })
      return null
    }
    const shape = answerShapeProblem(answer)
    const problem = shape ?? expect(answer)
    results.push({ name, outcome: problem ? "fail" : "pass", detail: problem ?? describeAnswer(answer) })
    return problem ? null : answer
  }
  const expectError = (code: number) => (answer: Answer) =>
    answer.body?.ERROR === code ? null : `expected ERROR ${code}, got ${describeAnswer(answer)}`

  const vendorId = options.vendorId
  const signTime = () => now()
  const agrTransId = () => randomInt(1_000_000_000, 281_474_976_710_655)
  const unknownOrder = "-01"

  // ---- single checks, no order needed ----
  for (const callback of Object.keys(MERCHANT_API_PATHS) as MerchantCallback[]) {
    await check(
      `${callback}: garbage body -> -8`,
      callback,
      () => send(callback, "this is not JSON {"),
      expectError(-8)
    )
  }
  await check(
    "info: bad signature -> -1",
    "info",
    () => forged("info", { MERCHANT_TRANS_ID: options.order ?? unknownOrder, SIGN_TIME: signTime() }),
    expectError(-1)
  )
  const payValues = (
    order: string,
    amount: string | number,
    agr = agrTransId(),
    vendor: string | number = vendorId
  ) => ({
    VENDOR_ID: vendor,
    PAYMENT_ID: 9,
    PAYMENT_NAME: "uzcard",
    AGR_TRANS_ID: agr,
    MERCHANT_TRANS_ID: order,
    MERCHANT_TRANS_AMOUNT: amount,
    ENVIRONMENT: environment,
    SIGN_TIME: signTime(),
  })
  await check(
    "pay: bad signature -> -1",
    "pay",
    () => forged("pay", payValues(options.order ?? unknownOrder, options.amount ?? 1000)),
    expectError(-1)
  )
  await check(
    "notify: bad signature -> -1",
    "notify",
    () => forged("notify", { AGR_TRANS_ID: agrTransId(), VENDOR_TRANS_ID: 1, STATUS: 2, SIGN_TIME: signTime() }),
    expectError(-1)
  )
  await check(
    "cancel: bad signature -> -1",
    "cancel",
    () => forged("cancel", { AGR_TRANS_ID: agrTransId(), VENDOR_TRANS_ID: 1, SIGN_TIME: signTime() }),
    expectError(-1)
  )
  await check(
    "statement: bad signature -> -1",
    "statement",
    () => forged("statement", { FROM: now() - 3_600_000, TO: now(), SIGN_TIME: signTime() }),
    expectError(-1)
  )
  await check(
    "fiscalization: bad signature -> -1",
    "fiscalization",
    () => forged("fiscalization", { AGR_TRANS_ID: agrTransId(), TYPE: "PAYMENT", SIGN_TIME: signTime() }),
    expectError(-1)
  )
  await check(
    "info: unknown order -> -5",
    "info",
    () => signed("info", { MERCHANT_TRANS_ID: unknownOrder, SIGN_TIME: signTime() }),
    expectError(-5)
  )
  await check(
    "pay: unknown order -> -5",
    "pay",
    () => signed("pay", payValues(unknownOrder, options.amount ?? 1000)),
    expectError(-5)
  )
  await check(
    "pay: another VENDOR_ID -> -10",
    "pay",
    () => signed("pay", payValues(options.order ?? unknownOrder, options.amount ?? 1000, agrTransId(), `${vendorId}9`)),
    expectError(-10)
  )
  await check(
    "notify: unknown transaction -> -6",
    "notify",
    () =>
      signed("notify", {
        AGR_TRANS_ID: agrTransId(),
        VENDOR_TRANS_ID: 999_999_999_999,
        STATUS: 2,
        SIGN_TIME: signTime(),
      }),
    expectError(-6)
  )
  await check(
    "cancel: unknown transaction -> -6",
    "cancel",
    () => signed("cancel", { AGR_TRANS_ID: agrTransId(), VENDOR_TRANS_ID: 999_999_999_999, SIGN_TIME: signTime() }),
    expectError(-6)
  )

  if (options.order === undefined || options.amount === undefined) {
    results.push({ name: "pay: wrong amount -> -2", outcome: "skip", detail: "needs --order and --amount" })
    results.push({ name: "full scenario", outcome: "skip", detail: "needs --order and --amount" })
    return results
  }
  const order = options.order
  const amount = options.amount
  const wrongAmount = amount === "1" ? "2" : "1"
  await check("pay: wrong amount -> -2", "pay", () => signed("pay", payValues(order, wrongAmount)), expectError(-2))

  // ---- the full scenario ----
  const startedAt = now()
  const agr = agrTransId()
  await check(
    "scenario: info -> 0",
    "info",
    () => signed("info", { MERCHANT_TRANS_ID: order, SIGN_TIME: signTime() }),
    expectError(0)
  )
  const pay = payValues(order, amount, agr)
  const paid = await check(
    "scenario: pay -> 0 with an integer VENDOR_TRANS_ID",
    "pay",
    () => signed("pay", pay),
    (answer) => {
      const parsed = payAnswer.safeParse(answer.body)
      if (!parsed.success) {
        return `${parsed.error.issues[0].path.join(".")} ${parsed.error.issues[0].message} in ${describeAnswer(answer)}`
      }
      return parsed.data.ERROR === 0 ? null : `expected ERROR 0, got ${describeAnswer(answer)}`
    }
  )
  if (!paid) {
    results.push({ name: "scenario: the rest", outcome: "skip", detail: "pay was not accepted" })
    return results
  }
  const vendorTransId = paid.body?.VENDOR_TRANS_ID as number
  await check(
    "scenario: the same pay again -> 0, same VENDOR_TRANS_ID",
    "pay",
    () => signed("pay", { ...pay, SIGN_TIME: signTime() }),
    (answer) =>
      answer.body?.ERROR === 0 && answer.body?.VENDOR_TRANS_ID === vendorTransId
        ? null
        : `expected ERROR 0 with VENDOR_TRANS_ID ${vendorTransId}, got ${describeAnswer(answer)}`
  )
  const notify = (status: 2 | 3) =>
    signed("notify", { AGR_TRANS_ID: agr, VENDOR_TRANS_ID: vendorTransId, STATUS: status, SIGN_TIME: signTime() })
  await check("scenario: notify 2 -> 0", "notify", () => notify(2), expectError(0))
  await check("scenario: notify 2 again -> 0", "notify", () => notify(2), expectError(0))
  await check(
    "scenario: pay with another AGR_TRANS_ID for the paid order -> -4",
    "pay",
    () => signed("pay", payValues(order, amount)),
    expectError(-4)
  )
  const statementLists = (state: 2 | 3) => (answer: Answer) => {
    const parsed = statementAnswer.safeParse(answer.body)
    if (!parsed.success) {
      return `${parsed.error.issues[0].path.join(".")} ${parsed.error.issues[0].message}`
    }
    const line = parsed.data.TRANSACTIONS?.find((t) => String(t.AGR_TRANS_ID) === String(agr))
    if (parsed.data.ERROR !== 0 || !line) {
      return `expected ERROR 0 listing AGR_TRANS_ID ${agr}, got ${describeAnswer(answer)}`
    }
    const wrong = statementLineProblems(line, {
      STATE: state,
      VENDOR_TRANS_ID: vendorTransId,
      MERCHANT_TRANS_ID: order,
      MERCHANT_TRANS_AMOUNT: amount,
      ENVIRONMENT: environment,
    })
    return wrong.length ? `the line is wrong: ${wrong.join(", ")}` : null
  }
  const statement = () => signed("statement", { FROM: startedAt - 60_000, TO: now() + 60_000, SIGN_TIME: signTime() })
  await check("scenario: statement lists the payment, STATE 2", "statement", statement, statementLists(2))
  await check(
    "scenario: fiscalization PAYMENT -> 0, the sum rule holds",
    "fiscalization",
    () => signed("fiscalization", { AGR_TRANS_ID: agr, TYPE: "PAYMENT", SIGN_TIME: signTime() }),
    (answer) => {
      const parsed = fiscalizationAnswer.safeParse(answer.body)
      if (!parsed.success) {
        return `${parsed.error.issues[0].path.join(".")} ${parsed.error.issues[0].message}`
      }
      if (parsed.data.ERROR !== 0 || !parsed.data.PARAMETERS) {
        return `expected ERROR 0 with PARAMETERS, got ${describeAnswer(answer)}`
      }
      const sum = checkFiscalSum(parsed.data.PARAMETERS.items, amount)
      return sum.ok ? null : sum.reason
    }
  )
  const cancel = () => signed("cancel", { AGR_TRANS_ID: agr, VENDOR_TRANS_ID: vendorTransId, SIGN_TIME: signTime() })
  await check("scenario: cancel -> 0", "cancel", cancel, expectError(0))
  await check("scenario: notify 3 -> 0", "notify", () => notify(3), expectError(0))
  await check("scenario: cancel again -> -9", "cancel", cancel, expectError(FORM_ERRORS.TRANSACTION_CANCELLED.ERROR))
  await check("scenario: statement shows it cancelled, STATE 3", "statement", statement, statementLists(3))
  return results
}

/** Every answer is HTTP 200 JSON {ERROR: integer, ERROR_NOTE: string} (CALLBACK_HTTP_STATUS). */
function answerShapeProblem(answer: Answer): string | null {
  if (answer.httpStatus !== 200) {
    return `expected HTTP 200, got HTTP ${answer.httpStatus}`
  }
  if (!answer.body) {
    return `the answer is not a JSON object: ${answer.raw.slice(0, 80)}`
  }
  if (!Number.isInteger(answer.body.ERROR) || typeof answer.body.ERROR_NOTE !== "string") {
    return `the answer lacks ERROR (integer) or ERROR_NOTE (string): ${answer.raw.slice(0, 120)}`
  }
  return null
}

function describeAnswer(answer: Answer): string {
  return answer.body
    ? `ERROR ${String(answer.body.ERROR)} "${String(answer.body.ERROR_NOTE)}"`
    : `HTTP ${answer.httpStatus}`
}

/** One line per check, then a total. */
export function formatAutotest(results: CheckResult[]): string {
  const label = { pass: "PASS", fail: "FAIL", skip: "SKIP" } as const
  const lines = results.map((r) => `${label[r.outcome]}  ${r.name}${r.outcome === "pass" ? "" : `: ${r.detail}`}`)
  const count = (o: CheckOutcome) => results.filter((r) => r.outcome === o).length
  lines.push("", `${count("pass")} passed, ${count("fail")} failed, ${count("skip")} skipped`)
  return lines.join("\n")
}
