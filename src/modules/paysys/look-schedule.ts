import { PaysysRateLimitedError } from "../../paysys"
import type { ScheduleOptions } from "./schedule-options"
import type { Attempt } from "./ledger-types"

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

export type { ScheduleOptions }

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
export function nextLookAt(
  schedule: Schedule,
  attempt: Pick<Attempt, "created_at" | "checks">,
  now = Date.now()
): Date {
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
    looks.push(
      nextLookAt(schedule, { created_at: new Date(0), checks: looks.length - 1 }, looks[looks.length - 1]).getTime()
    )
  }
  return looks
}

/** Over PaySys's request limit: the next look waits at least its Retry-After. */
export function notBeforeRetryAfter(next: Date, error: unknown, now = Date.now()): Date {
  const retryAt = error instanceof PaysysRateLimitedError ? now + error.retryAfterMs : 0
  return retryAt > next.getTime() ? new Date(retryAt) : next
}
