import { PaymentStatusResult, PaysysStatus, redactCardNumbers } from "../../paysys"
import { backoffAt, nextLookAt, notBeforeRetryAfter, Schedule } from "./look-schedule"
import { Attempt, AttemptChange, BankData } from "./ledger-types"

/*
 * What PaySys's answer about an attempt makes of it in the ledger: pure functions of the attempt,
 * the answer and the schedule. check-attempt.ts asks PaySys and writes them.
 */

const FINISHED: Attempt["state"][] = ["failed", "never_sent", "reversed"]

export function afterNotFound(attempt: Attempt, schedule: Schedule): AttemptChange {
  if (isFinished(attempt)) {
    // PaySys holds nothing of an attempt that ended without money: nothing left to look at
    return { checks: attempt.checks + 1, next_check_at: null }
  }
  const sentAt = (attempt.sent_at ?? attempt.created_at).getTime()
  if (attempt.state === "sending" && Date.now() - sentAt > schedule.sendMarginMs) {
    return {
      event: "paysys_never_received",
      outcome: "never_reached_paysys",
      next_check_at: null,
      checks: attempt.checks + 1,
      last_error: null,
    }
  }
  if (unresolvedAtHorizon(attempt, schedule, Date.now())) {
    return {
      event: "unchecked_at_horizon",
      outcome: "unchecked_at_horizon",
      next_check_at: null,
      checks: attempt.checks + 1,
    }
  }
  // the write may still be on its way to PaySys
  return { checks: attempt.checks + 1, next_check_at: backoffAt(schedule, attempt.checks) }
}

/** Money taken and no order holding it: the shopper waits for an order or for the money back. */
const WITHOUT_ORDER: Attempt["state"][] = ["paid", "reversing"]

/**
 * A check that failed (no answer, or an error other than "not found"): looked at again with
 * backoff, never sooner than a 429's Retry-After. The backoff grows with the attempt's checks,
 * except on money without an order, which stays on its first step: a paid attempt checked a few
 * times before PaySys stumbled would otherwise wait an hour for its order. An open one is looked
 * at no later than its next regular look, as if PaySys had answered "still open": a shopper whose
 * completions failed while PaySys stumbled may have paid. An attempt PaySys never said took money
 * (`sending`, `open`) whose checks still fail past the horizon is parked for the merchant, like
 * one still open there: retried for ever, it would cost a PaySys call an hour and nobody would
 * look at it. One that may hold money keeps being looked at.
 */
export function afterFailedCheck(
  attempt: Attempt,
  schedule: Schedule,
  error: unknown,
  now = Date.now()
): AttemptChange {
  const failed = { checks: attempt.checks + 1, last_error: (error as Error).message.slice(0, 500) }
  if (unresolvedAtHorizon(attempt, schedule, now)) {
    return { ...failed, event: "unchecked_at_horizon", outcome: "unchecked_at_horizon", next_check_at: null }
  }
  const ladder = backoffAt(schedule, WITHOUT_ORDER.includes(attempt.state) ? 0 : attempt.checks, now)
  const next =
    attempt.state === "open" ? Math.min(ladder.getTime(), nextLookAt(schedule, attempt, now).getTime()) : ladder
  return { ...failed, next_check_at: notBeforeRetryAfter(new Date(next), error, now) }
}

/** Past the horizon with nothing PaySys said about money: parked rather than looked at for ever. */
function unresolvedAtHorizon(attempt: Attempt, schedule: Schedule, now: number): boolean {
  return (
    (attempt.state === "sending" || attempt.state === "open") && now - attempt.created_at.getTime() > schedule.horizonMs
  )
}

/** What an answer of check_payment makes of the attempt. */
export function afterCheck(attempt: Attempt, result: PaymentStatusResult, schedule: Schedule): AttemptChange {
  const now = Date.now()
  const status = result.status
  const common: AttemptChange = {
    paysys_status: status,
    transaction_id: result.transaction_id,
    bank: bankData(attempt.bank, result),
    checks: attempt.checks + 1,
    last_error: null,
  }
  const tookMoney = status === PaysysStatus.COMPLETED || status === PaysysStatus.REFUNDED
  if (attempt.state === "captured") {
    // an order's payment: a refund or reversal made at PaySys is for settling to look at; a
    // look already scheduled (a refund whose answer was lost) stays, settling clears it
    return { ...common, next_check_at: status === PaysysStatus.COMPLETED ? attempt.next_check_at : new Date(now) }
  }
  if (attempt.state === "reversing" || attempt.state === "attention") {
    return { ...common, next_check_at: status === PaysysStatus.CANCELED ? new Date(now) : attempt.next_check_at }
  }
  if (tookMoney) {
    return { ...common, event: "paysys_paid", paid_at: attempt.paid_at ?? new Date(now), next_check_at: new Date(now) }
  }
  if (status === PaysysStatus.CANCELED) {
    return {
      ...common,
      event: "paysys_reversed",
      outcome: attempt.outcome ?? "reversed_at_paysys",
      next_check_at: null,
    }
  }
  if (status < 0) {
    return { ...common, event: "paysys_declined", outcome: "declined", next_check_at: null }
  }
  // 0 or 1: the shopper has not finished 3-D Secure (or left); keep looking, less and less often
  if (now - attempt.created_at.getTime() > schedule.horizonMs) {
    return { ...common, event: "paysys_open_at_horizon", outcome: "still_open_at_horizon", next_check_at: null }
  }
  return { ...common, event: "paysys_open", next_check_at: nextLookAt(schedule, attempt, now) }
}

export function isFinished(attempt: Attempt): boolean {
  return FINISHED.includes(attempt.state)
}

export function tookMoney(attempt: Attempt): boolean {
  return attempt.paysys_status === PaysysStatus.COMPLETED || attempt.paysys_status === PaysysStatus.REFUNDED
}

/** Bank data of an answer; PaySys sends it only with some calls, so earlier values are kept. */
function bankData(previous: BankData | null, result: PaymentStatusResult): BankData {
  const bank = result.data as Record<string, unknown>
  const text = (key: string) =>
    typeof bank[key] === "string" || typeof bank[key] === "number" ? String(bank[key]) : null
  const cardNumber = text("CARD_NUMBER")
  return {
    rrn: text("RRN") ?? previous?.rrn ?? null,
    approval_code: text("APPROVAL_CODE") ?? previous?.approval_code ?? null,
    three_ds: text("3DSECURE") ?? previous?.three_ds ?? null,
    // PaySys sends it masked; mask again anything that looks like a full card number
    card_masked: cardNumber ? redactCardNumbers(cardNumber) : (previous?.card_masked ?? null),
    error: result.status < 0 ? (result.err_obj ?? { code: result.status, message: "PaySys reports an error" }) : null,
  }
}
