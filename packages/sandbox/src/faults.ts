import { z } from "zod"
import { GATEWAY_METHODS, isGatewayMethod } from "./methods"

/*
 * Faults on demand, for the next `count` gateway calls of one method (or of any: "*"),
 * until `DELETE /__sandbox/faults` when no count is given.
 *
 *   latency         answer normally, `latencyMs` later
 *   http_5xx        answer HTTP `status` (5xx) with a body that is not JSON
 *   timeout         accept the request and never answer
 *   malformed_json  answer HTTP 200 with broken JSON
 *   paysys_error    answer `error: {code, message}`
 *   reset           destroy the connection
 *   rate_limited    answer HTTP 429 with `Retry-After: <retryAfterSeconds>` (or as an HTTP date, or
 *                   without the header: `retryAfterFormat`), as PaySys does over its request limit
 *
 * With `applyFirst: true` the operation IS performed first and only its answer is replaced by the
 * fault ("the charge happened but the answer was lost"); without it nothing happens to the state.
 * (latency always performs the operation; rate_limited never does: a 429 means not carried out.)
 *
 * With `partnerTransId` a fault applies only to calls about that payment (their
 * `partner_trans_id`; for "form.pay", MERCHANT_TRANS_ID), so the merchant's other work (a
 * reconciliation job checking other payments) cannot use it up.
 *
 * "form.pay" is the payment form's Pay call to the merchant: `timeout` sends it and ignores the
 * answer (PaySys gave up: the payment fails, whatever the merchant recorded), `latency` waits
 * before sending it. "form.payment_status" is the form's status API, and takes `http_5xx` (its
 * payment: the one the request's AGR_TRANS_ID names). "*" means any gateway method, never a form's.
 */

export const FORM_FAULT_METHODS = ["form.pay", "form.payment_status"] as const

export const FAULT_KINDS = [
  "latency",
  "http_5xx",
  "timeout",
  "malformed_json",
  "paysys_error",
  "reset",
  "rate_limited",
] as const

export const RETRY_AFTER_FORMATS = ["seconds", "http-date", "none"] as const

export const faultSchema = z
  .strictObject({
    kind: z.enum(FAULT_KINDS),
    method: z.enum(["*", ...GATEWAY_METHODS, ...FORM_FAULT_METHODS]).default("*"),
    count: z.number().int().min(1).optional(),
    applyFirst: z.boolean().default(false),
    /** only calls about this payment */
    partnerTransId: z.string().min(1).max(200).optional(),
    /** latency */
    latencyMs: z.number().int().min(0).max(600_000).default(1000),
    /** http_5xx */
    status: z.number().int().min(500).max(599).default(503),
    body: z.string().max(10_000).default("<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>"),
    /** paysys_error */
    code: z.number().int().default(-32000),
    message: z.string().min(1).max(500).default("Sandbox: injected PaySys error"),
    /** rate_limited */
    retryAfterSeconds: z.number().int().min(0).max(3600).default(1),
    retryAfterFormat: z.enum(RETRY_AFTER_FORMATS).default("seconds"),
  })
  .refine((fault) => fault.method !== "form.pay" || fault.kind === "timeout" || fault.kind === "latency", {
    path: ["kind"],
    message: "form.pay takes timeout or latency",
  })
  .refine((fault) => fault.method !== "form.payment_status" || fault.kind === "http_5xx", {
    path: ["kind"],
    message: "form.payment_status takes http_5xx",
  })
  .refine((fault) => fault.kind !== "rate_limited" || !fault.applyFirst, {
    path: ["applyFirst"],
    message: "a rate_limited call is never carried out",
  })

export type FaultInput = z.input<typeof faultSchema>
export type Fault = z.output<typeof faultSchema> & { id: number; remaining: number | null; hits: number }

export class FaultRegistry {
  private faults: Fault[] = []
  private nextId = 1

  add(input: z.output<typeof faultSchema>): Fault {
    const fault: Fault = { ...input, id: this.nextId++, remaining: input.count ?? null, hits: 0 }
    this.faults.push(fault)
    return fault
  }

  /** The first fault that applies to a call of this method about this payment, counted down; null when none does. */
  take(method: string, partnerTransId?: unknown): Fault | null {
    const fault = this.faults.find(
      (f) =>
        (f.method === method || (f.method === "*" && isGatewayMethod(method))) &&
        (f.partnerTransId === undefined || f.partnerTransId === partnerTransId)
    )
    if (!fault) {
      return null
    }
    fault.hits += 1
    if (fault.remaining !== null) {
      fault.remaining -= 1
      if (fault.remaining <= 0) {
        this.faults = this.faults.filter((f) => f !== fault)
      }
    }
    return { ...fault }
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }))
  }

  clear(): number {
    const cleared = this.faults.length
    this.faults = []
    return cleared
  }
}
