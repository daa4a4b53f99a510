import { DEFAULT_PENDING_ATTEMPT_TTL_MS, FormEnvironment, REFUSE_SANDBOX_PAY_ON_LIVE } from "./assumptions"
import { FormErrorKey } from "./error-codes"
import { NOTIFY_STATUS, NotifyRequest, PayRequest } from "./schemas"

/*
 * What the merchant answers to Pay, Notify and Cancel once the request is authenticated, as pure
 * functions over what the merchant knows. The caller loads the
 * order and its attempts under a per-order lock, applies the effect, records it, then answers.
 */

/** One PaySys attempt at paying an order, as the merchant keeps it. */
export type FormAttemptView = {
  agrTransId: string
  vendorTransId: number
  state: "pay_accepted" | "paid" | "cancelled"
  /** ms; when Pay was accepted */
  payAcceptedAt: number
}

export type FormOrderView = {
  /** MERCHANT_TRANS_AMOUNT the order must be paid with (whole sum) */
  amount: string
  state: "open" | "paid" | "cancelled"
}

export type PayDecision =
  | { kind: "accept" } // a new attempt: give it the next VENDOR_TRANS_ID
  | { kind: "repeat"; vendorTransId: number } // the same Pay again: the same answer
  | { kind: "refuse"; error: Exclude<FormErrorKey, "SUCCESS"> }

export function decidePay(input: {
  request: PayRequest
  /** our VENDOR_ID for the request's ENVIRONMENT */
  vendorId: string
  /** the environment this deployment serves */
  deployment: FormEnvironment
  order: FormOrderView | null
  /** the order's attempts */
  attempts: readonly FormAttemptView[]
  now: number
  pendingAttemptTtlMs?: number
}): PayDecision {
  const { request, order, attempts } = input
  const refuse = (error: Exclude<FormErrorKey, "SUCCESS">): PayDecision => ({ kind: "refuse", error })
  if (request.VENDOR_ID !== input.vendorId) {
    return refuse("VENDOR_NOT_FOUND")
  }
  if (REFUSE_SANDBOX_PAY_ON_LIVE && input.deployment === "live" && request.ENVIRONMENT === "sandbox") {
    return refuse("BAD_REQUEST")
  }
  if (!order) {
    return refuse("USER_NOT_FOUND")
  }
  if (order.amount !== request.MERCHANT_TRANS_AMOUNT) {
    return refuse("INCORRECT_AMOUNT")
  }
  const same = attempts.find((a) => a.agrTransId === request.AGR_TRANS_ID)
  if (same) {
    return same.state === "pay_accepted"
      ? { kind: "repeat", vendorTransId: same.vendorTransId }
      : refuse(same.state === "paid" ? "ALREADY_PAID" : "TRANSACTION_CANCELLED")
  }
  if (order.state === "paid" || attempts.some((a) => a.state === "paid")) {
    return refuse("ALREADY_PAID")
  }
  if (order.state === "cancelled") {
    return refuse("TRANSACTION_CANCELLED")
  }
  const ttl = input.pendingAttemptTtlMs ?? DEFAULT_PENDING_ATTEMPT_TTL_MS
  if (attempts.some((a) => a.state === "pay_accepted" && input.now - a.payAcceptedAt < ttl)) {
    // another attempt may still debit: never two debits for one order (DEFAULT_PENDING_ATTEMPT_TTL_MS)
    return refuse("ALREADY_PAID")
  }
  return { kind: "accept" }
}

export type StatusDecision =
  | { kind: "apply"; state: "paid" | "cancelled" }
  | { kind: "ignore"; reason: string } // answer 0, change nothing
  | { kind: "refuse"; error: Exclude<FormErrorKey, "SUCCESS"> }

/** Notify: unknown or mismatched -> -6; a repeat -> 0 without effect; 2 after 3 stays cancelled. */
export function decideNotify(request: NotifyRequest, attempt: FormAttemptView | null): StatusDecision {
  if (
    !attempt ||
    attempt.agrTransId !== request.AGR_TRANS_ID ||
    String(attempt.vendorTransId) !== request.VENDOR_TRANS_ID
  ) {
    return { kind: "refuse", error: "TRANSACTION_NOT_FOUND" }
  }
  if (request.STATUS === NOTIFY_STATUS.CANCELLED) {
    return attempt.state === "cancelled"
      ? { kind: "ignore", reason: "already cancelled" }
      : { kind: "apply", state: "cancelled" }
  }
  if (attempt.state === "cancelled") {
    return { kind: "ignore", reason: "Notify 2 after cancellation: stays cancelled" }
  }
  return attempt.state === "paid" ? { kind: "ignore", reason: "already paid" } : { kind: "apply", state: "paid" }
}

/** Cancel: unknown -> -6; already cancelled -> -9; otherwise allowed (CANCEL_ACCEPTED_UNLESS_CANCELLED). */
export function decideCancel(
  request: { AGR_TRANS_ID: string; VENDOR_TRANS_ID: string },
  attempt: FormAttemptView | null
): StatusDecision {
  if (
    !attempt ||
    attempt.agrTransId !== request.AGR_TRANS_ID ||
    String(attempt.vendorTransId) !== request.VENDOR_TRANS_ID
  ) {
    return { kind: "refuse", error: "TRANSACTION_NOT_FOUND" }
  }
  if (attempt.state === "cancelled") {
    return { kind: "refuse", error: "TRANSACTION_CANCELLED" }
  }
  return { kind: "apply", state: "cancelled" }
}
