import {
  PaymentStatusResult,
  PaysysClient,
  PaysysRateLimitedError,
  PaysysStatus,
  redactCardNumbers,
} from "../../paysys"
import type { PaysysOptions } from "../../providers/paysys/options"
import { Attempt, AttemptPatch, BankData, entry, PaymentLedger } from "./payment-ledger"
import { checkFormAttempt, FormStatusReader } from "./form-attempt-check"

/** When reconciliation looks at an attempt again. */
export type Schedule = {
  firstCheckMs: number
  /** waits before trying again after a failure, by the number of looks made; the last repeats */
  backoffMs: number[]
  /**
   * looks at an attempt PaySys has not finished, as times since its creation; null when the
   * merchant set reconcileBackoffSeconds (then backoffMs are the waits between looks)
   */
  looksAfterMs: number[] | null
  horizonMs: number
  reverseAfterMs: number
  /** a write sent this long ago that PaySys still does not know never reached it */
  sendMarginMs: number
}

/** The options a schedule is made of. */
export type ScheduleOptions = Pick<
  PaysysOptions,
  "reconcileAfterSeconds" | "reconcileBackoffSeconds" | "reconcileHorizonDays" | "reverseAfterSeconds" | "timeoutMs"
>

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/**
 * Looks at an attempt PaySys has not finished (the shopper left the bank's page), as times since
 * its creation, after the first one (reconcileAfterSeconds): dense while the shopper may still be
 * paying, then sparse, and two before PaySys's 7-day reversal window closes, so that a payment
 * made at the last moment that no order can take is still given back by reversal. One more, past
 * the horizon, parks it. About nine PaySys calls over its whole life.
 */
export const DEFAULT_LOOKS_AFTER_MS = [10 * MINUTE, HOUR, 6 * HOUR, DAY, 3 * DAY, 6 * DAY, 6.5 * DAY]

/** Waits before trying again after a failure (and a notification's processing), when not set. */
export const DEFAULT_RETRY_BACKOFF_SECONDS = [60, 300, 1800, 3600]

export function scheduleFrom(options: ScheduleOptions): Schedule {
  const firstCheckMs = options.reconcileAfterSeconds * 1000
  const horizonMs = options.reconcileHorizonDays * DAY
  const merchantLadder = options.reconcileBackoffSeconds
  return {
    firstCheckMs,
    backoffMs: (merchantLadder ?? DEFAULT_RETRY_BACKOFF_SECONDS).map((seconds) => seconds * 1000),
    looksAfterMs: merchantLadder
      ? null
      : [...DEFAULT_LOOKS_AFTER_MS.filter((after) => after > firstCheckMs && after < horizonMs), horizonMs + MINUTE],
    horizonMs,
    reverseAfterMs: options.reverseAfterSeconds * 1000,
    // PaySys answers within timeoutMs or the client gives up; twice that and it was never received
    sendMarginMs: 2 * options.timeoutMs,
  }
}

/** The next try after `checks` looks: the ladder, its last step repeating. */
export function backoffAt(schedule: Schedule, checks: number, now = Date.now()): Date {
  const ladder = schedule.backoffMs
  return new Date(now + ladder[Math.min(checks, ladder.length - 1)])
}

/** The next look at an attempt PaySys has not finished: the next one of the looks, or the ladder's. */
export function nextLookAt(schedule: Schedule, attempt: Pick<Attempt, "created_at" | "checks">, now = Date.now()): Date {
  const created = attempt.created_at.getTime()
  const after = schedule.looksAfterMs?.find((look) => created + look > now)
  return after === undefined ? backoffAt(schedule, attempt.checks, now) : new Date(created + after)
}

/**
 * When an attempt nobody finishes is looked at, from its creation (time 0) until a look past the
 * horizon parks it, each look made when due: what one abandoned attempt costs in PaySys calls.
 */
export function looksAtAbandonedAttempt(schedule: Schedule): number[] {
  const looks = [schedule.firstCheckMs]
  while (looks[looks.length - 1] <= schedule.horizonMs) {
    looks.push(nextLookAt(schedule, { created_at: new Date(0), checks: looks.length - 1 }, looks[looks.length - 1]).getTime())
  }
  return looks
}

const FINISHED: Attempt["state"][] = ["failed", "never_sent", "reversed"]

/**
 * Asks PaySys (check_payment) about an attempt and writes what it says into the ledger.
 * Only a real "not found" means PaySys does not have it; any other failure is recorded and
 * thrown, and the attempt is looked at again later. A hosted-form attempt is asked about through
 * the form's status API instead (`formStatus`, from the form provider's options).
 */
export async function checkAttempt(
  client: PaysysClient | null,
  ledger: PaymentLedger,
  attempt: Attempt,
  schedule: Schedule,
  source: string,
  formStatus?: FormStatusReader | null
): Promise<Attempt> {
  if (attempt.kind === "form") {
    if (!formStatus) {
      throw new Error(`PaySys attempt ${attempt.partner_trans_id} was made with the hosted form, whose options are not configured`)
    }
    return checkFormAttempt(formStatus, ledger, attempt, schedule, source)
  }
  if (!client) {
    throw new Error(`PaySys attempt ${attempt.partner_trans_id} was made by card, whose options are not configured`)
  }
  let result: PaymentStatusResult
  try {
    result = await client.checkPayment({ partner_trans_id: attempt.partner_trans_id })
  } catch (error) {
    if (client.isTransactionNotFound(error)) {
      return ledger.updateAttempt(attempt.partner_trans_id, afterNotFound(attempt, schedule), entry(`check_payment (${source}): not found`))
    }
    if (error instanceof PaysysRateLimitedError) {
      throw error // PaySys did not look: the attempt keeps its place
    }
    const patch = afterFailedCheck(attempt, schedule, error)
    const parked = patch.state ? entry(`check_payment (${source}): still failing at the horizon`) : undefined
    await ledger.updateAttempt(attempt.partner_trans_id, patch, parked)
    throw error
  }
  return ledger.updateAttempt(
    attempt.partner_trans_id,
    afterCheck(attempt, result, schedule),
    entry(`check_payment (${source})`, result.status, result.err_obj?.message)
  )
}

/** Over PaySys's request limit: the next look waits at least its Retry-After. */
export function notBeforeRetryAfter(next: Date, error: unknown, now = Date.now()): Date {
  const retryAt = error instanceof PaysysRateLimitedError ? now + error.retryAfterMs : 0
  return retryAt > next.getTime() ? new Date(retryAt) : next
}

function afterNotFound(attempt: Attempt, schedule: Schedule): AttemptPatch {
  const sentAt = (attempt.sent_at ?? attempt.created_at).getTime()
  if (attempt.state === "sending" && Date.now() - sentAt > schedule.sendMarginMs) {
    return { state: "never_sent", outcome: "never_reached_paysys", next_check_at: null, checks: attempt.checks + 1, last_error: null }
  }
  if (unresolvedAtHorizon(attempt, schedule, Date.now())) {
    return { state: "attention", outcome: "unchecked_at_horizon", next_check_at: null, checks: attempt.checks + 1 }
  }
  // the write may still be on its way to PaySys
  return { checks: attempt.checks + 1, next_check_at: backoffAt(schedule, attempt.checks) }
}

/**
 * A check that failed (no answer, or an error other than "not found"): looked at again with
 * backoff, never sooner than a 429's Retry-After. An attempt PaySys never said took money
 * (`sending`, `open`) whose checks still fail past the horizon is parked for the merchant, like
 * one still open there: retried for ever, it would cost a PaySys call an hour and nobody would
 * look at it. One that may hold money keeps being looked at.
 */
export function afterFailedCheck(attempt: Attempt, schedule: Schedule, error: unknown, now = Date.now()): AttemptPatch {
  const failed = { checks: attempt.checks + 1, last_error: (error as Error).message.slice(0, 500) }
  if (unresolvedAtHorizon(attempt, schedule, now)) {
    return { ...failed, state: "attention", outcome: "unchecked_at_horizon", next_check_at: null }
  }
  return { ...failed, next_check_at: notBeforeRetryAfter(backoffAt(schedule, attempt.checks, now), error, now) }
}

/** Past the horizon with nothing PaySys said about money: parked rather than looked at for ever. */
function unresolvedAtHorizon(attempt: Attempt, schedule: Schedule, now: number): boolean {
  return (attempt.state === "sending" || attempt.state === "open") && now - attempt.created_at.getTime() > schedule.horizonMs
}

/** What an answer of check_payment makes of the attempt. */
export function afterCheck(attempt: Attempt, result: PaymentStatusResult, schedule: Schedule): AttemptPatch {
  const now = Date.now()
  const status = result.status
  const common: AttemptPatch = {
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
    return { ...common, state: "paid", paid_at: attempt.paid_at ?? new Date(now), next_check_at: new Date(now) }
  }
  if (status === PaysysStatus.CANCELED) {
    return { ...common, state: "reversed", outcome: attempt.outcome ?? "reversed_at_paysys", next_check_at: null }
  }
  if (status < 0) {
    return { ...common, state: "failed", outcome: "declined", next_check_at: null }
  }
  // 0 or 1: the shopper has not finished 3-D Secure (or left); keep looking, less and less often
  if (now - attempt.created_at.getTime() > schedule.horizonMs) {
    return { ...common, state: "attention", outcome: "still_open_at_horizon", next_check_at: null }
  }
  return { ...common, state: "open", next_check_at: nextLookAt(schedule, attempt, now) }
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
  const text = (key: string) => (typeof bank[key] === "string" || typeof bank[key] === "number" ? String(bank[key]) : null)
  const cardNumber = text("CARD_NUMBER")
  return {
    rrn: text("RRN") ?? previous?.rrn ?? null,
    approval_code: text("APPROVAL_CODE") ?? previous?.approval_code ?? null,
    three_ds: text("3DSECURE") ?? previous?.three_ds ?? null,
    // PaySys sends it masked; mask again anything that looks like a full card number
    card_masked: cardNumber ? redactCardNumbers(cardNumber) : previous?.card_masked ?? null,
    error: result.status < 0 ? result.err_obj ?? { code: result.status, message: "PaySys reports an error" } : null,
  }
}
