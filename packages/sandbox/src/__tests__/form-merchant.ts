import http from "node:http"
import { AddressInfo } from "node:net"
import { MERCHANT_API_PATHS, MerchantCallback } from "../../../../src/paysys-form/assumptions"
import { CallbackRequest, parseMerchantCallback, readCallbackBody } from "../../../../src/paysys-form/callbacks"
import { decideCancel, decideNotify, decidePay, StatusDecision } from "../../../../src/paysys-form/decisions"
import { formErrorAnswer, formSuccessAnswer } from "../../../../src/paysys-form/error-codes"
import { signFormMessage } from "../../../../src/paysys-form/signatures"

/**
 * A tiny merchant API for tests, following PaySys's form documentation: it checks signatures and
 * decides with the form module, and keeps orders and attempts in memory. `broken` makes it skip one rule, so
 * tests can see the autotest catch it.
 */

export type FormMerchantAttempt = {
  agrTransId: string
  vendorTransId: number
  order: string
  amount: string
  environment: string
  state: "pay_accepted" | "paid" | "cancelled"
  payAcceptedAt: number
}

export type FormMerchant = {
  /** the merchant API base: callbacks go to `${url}/pay`, ... */
  url: string
  orders: Map<string, string>
  attempts: FormMerchantAttempt[]
  calls: Array<{ callback: string; body: string; answer: Record<string, unknown> }>
  waitFor(callback: MerchantCallback, count: number, timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

export async function startFormMerchant(config: {
  vendorId: string
  secretKey: string
  orders?: Record<string, string>
  broken?: "skips_signature_check" | "ignores_amount"
}): Promise<FormMerchant> {
  const orders = new Map(Object.entries(config.orders ?? {}))
  const attempts: FormMerchantAttempt[] = []
  const calls: FormMerchant["calls"] = []
  const waiters: Array<() => void> = []
  let nextVendorTransId = 5001

  const byVendorTransId = (id: string) => attempts.find((a) => String(a.vendorTransId) === id) ?? null
  /** applies a Notify or Cancel decision to the attempt it is about */
  const apply = (decision: StatusDecision, attempt: FormMerchantAttempt | null) => {
    if (decision.kind === "refuse") return formErrorAnswer(decision.error)
    if (decision.kind === "apply" && attempt) attempt.state = decision.state
    return formSuccessAnswer()
  }
  const handlers: { [C in MerchantCallback]: (request: CallbackRequest<C>) => Record<string, unknown> } = {
    info: (r) =>
      orders.has(r.MERCHANT_TRANS_ID)
        ? formSuccessAnswer({ PARAMETERS: { order: r.MERCHANT_TRANS_ID } })
        : formErrorAnswer("USER_NOT_FOUND"),
    pay: (r) => {
      const amount = orders.get(r.MERCHANT_TRANS_ID)
      const order =
        amount === undefined
          ? null
          : { amount: config.broken === "ignores_amount" ? r.MERCHANT_TRANS_AMOUNT : amount, state: "open" as const }
      const mine = attempts.filter((a) => a.order === r.MERCHANT_TRANS_ID)
      const decision = decidePay({
        request: r,
        vendorId: config.vendorId,
        deployment: "sandbox",
        order,
        attempts: mine,
        now: Date.now(),
      })
      if (decision.kind === "refuse") return formErrorAnswer(decision.error)
      if (decision.kind === "repeat") return formSuccessAnswer({ VENDOR_TRANS_ID: decision.vendorTransId })
      const attempt: FormMerchantAttempt = {
        agrTransId: r.AGR_TRANS_ID,
        vendorTransId: nextVendorTransId++,
        order: r.MERCHANT_TRANS_ID,
        amount: r.MERCHANT_TRANS_AMOUNT,
        environment: r.ENVIRONMENT,
        state: "pay_accepted",
        payAcceptedAt: Date.now(),
      }
      attempts.push(attempt)
      return formSuccessAnswer({ VENDOR_TRANS_ID: attempt.vendorTransId })
    },
    notify: (r) => {
      const attempt = byVendorTransId(r.VENDOR_TRANS_ID)
      return apply(decideNotify(r, attempt), attempt)
    },
    cancel: (r) => {
      const attempt = byVendorTransId(r.VENDOR_TRANS_ID)
      return apply(decideCancel(r, attempt), attempt)
    },
    statement: (r) =>
      formSuccessAnswer({
        TRANSACTIONS: attempts
          .filter(
            (a) => a.state !== "pay_accepted" && a.payAcceptedAt >= Number(r.FROM) && a.payAcceptedAt <= Number(r.TO)
          )
          .map((a) => ({
            ENVIRONMENT: a.environment,
            AGR_TRANS_ID: Number(a.agrTransId),
            VENDOR_TRANS_ID: a.vendorTransId,
            MERCHANT_TRANS_ID: a.order,
            MERCHANT_TRANS_AMOUNT: Number(a.amount),
            STATE: a.state === "paid" ? 2 : 3,
            DATE: a.payAcceptedAt,
          })),
      }),
    fiscalization: (r) => {
      const attempt = attempts.find((a) => a.agrTransId === r.AGR_TRANS_ID)
      if (!attempt) return formErrorAnswer("TRANSACTION_NOT_FOUND")
      return formSuccessAnswer({
        PARAMETERS: {
          type: 0,
          items: [
            { title: "Order " + attempt.order, price: Number(attempt.amount), count: 1, code: "06912001036000000" },
          ],
        },
      })
    },
  }

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on("data", (c: Buffer) => chunks.push(c))
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8")
      const callback = (Object.keys(MERCHANT_API_PATHS) as MerchantCallback[]).find(
        (c) => request.url === `/api/${MERCHANT_API_PATHS[c]}`
      )
      if (!callback) {
        response.writeHead(404).end()
        return
      }
      const contentType = request.headers["content-type"]
      const object = readCallbackBody(body, contentType)
      // the broken merchant takes any signature: it re-signs what it got before checking
      const input =
        config.broken === "skips_signature_check" && object
          ? { ...object, SIGN_STRING: signFormMessage(callback, config.secretKey, object as never) }
          : body
      const parsed = parseMerchantCallback(callback, input, { secretKey: config.secretKey, contentType })
      const answer = parsed.ok
        ? (handlers[callback] as (r: unknown) => Record<string, unknown>)(parsed.request)
        : parsed.answer
      calls.push({ callback, body, answer })
      waiters.splice(0).forEach((wake) => wake())
      response.writeHead(200, { "Content-Type": "application/json" })
      response.end(JSON.stringify(answer))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`,
    orders,
    attempts,
    calls,
    async waitFor(callback, count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs
      while (calls.filter((c) => c.callback === callback).length < count) {
        const left = deadline - Date.now()
        if (left <= 0)
          throw new Error(
            `the merchant got ${calls.filter((c) => c.callback === callback).length} ${callback} calls, expected ${count}`
          )
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left)
          waiters.push(() => {
            clearTimeout(timer)
            resolve()
          })
        })
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
