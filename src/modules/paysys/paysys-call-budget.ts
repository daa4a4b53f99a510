import { RateLimiterRes, RateLimiterStoreAbstract } from "rate-limiter-flexible"
import { PaysysRateLimitedError } from "../../paysys"
import { countCalls } from "./background-call-count"
import { LimiterStore } from "./limiter-store"

const KEY = "background"

export type Spent = { granted: true } | { granted: false; retryInMs: number }

/**
 * What background work on the budget came to: done, or left for later (the budget is spent, paused
 * by PaySys's 429, or cannot be counted: `unavailable` says why).
 */
export type OnBudget<T> =
  | { deferred: false; value: T }
  /** rateLimited: PaySys answered 429 */
  | { deferred: true; retryInMs: number; unavailable?: string; rateLimited?: boolean }

/** How long background work waits when the budget cannot be counted (its Redis or table unreachable). */
const UNAVAILABLE_RETRY_MS = 60_000

/**
 * The PaySys calls background work may make each minute (reconciliation, confirming callbacks),
 * counted where every server sees it, so that PaySys's request limit keeps room for checkouts,
 * which never wait on it. PaySys answering 429 to background work spends it until Retry-After.
 */
export class PaysysCallBudget {
  private readonly limiter: RateLimiterStoreAbstract

  constructor(store: LimiterStore, callsPerMinute: number) {
    this.limiter = store.limiter("paysys-background-calls", { points: callsPerMinute, seconds: 60 })
  }

  /** Takes one call: refused while this minute's calls are spent or background work is paused. */
  async spend(): Promise<Spent> {
    try {
      await this.limiter.consume(KEY, 1)
      return { granted: true }
    } catch (refused) {
      if (refused instanceof RateLimiterRes) {
        return { granted: false, retryInMs: refused.msBeforeNext }
      }
      throw refused
    }
  }

  /**
   * Counts the calls of work that took one with spend() and made `calls`: one it did not make is
   * given back, more are counted (never refused: they were made).
   */
  async recordCalls(calls: number): Promise<void> {
    if (calls === 1) {
      return
    }
    await (calls < 1 ? this.limiter.reward(KEY, 1) : this.limiter.penalty(KEY, calls - 1))
  }

  /**
   * Runs one piece of background work that starts with a PaySys call, and counts the calls it made.
   * Deferred, with nothing done, when the budget is spent, and when it cannot be counted (PaySys's
   * limit is not ours to risk); PaySys's 429 pauses it and defers too.
   */
  async run<T>(work: () => Promise<T>): Promise<OnBudget<T>> {
    const spent = await this.spend().catch((error: Error) => error)
    if (spent instanceof Error) {
      return { deferred: true, retryInMs: UNAVAILABLE_RETRY_MS, unavailable: spent.message }
    }
    if (!spent.granted) {
      return { deferred: true, retryInMs: spent.retryInMs }
    }
    const { calls, result } = await countCalls(work)
    await this.recordCalls(calls).catch(() => undefined) // the calls are made; a lost count only loosens the budget
    if (result.status === "fulfilled") {
      return { deferred: false, value: result.value }
    }
    if (result.reason instanceof PaysysRateLimitedError) {
      await this.pause(result.reason.retryAfterMs)
      return { deferred: true, retryInMs: result.reason.retryAfterMs, rateLimited: true }
    }
    throw result.reason
  }

  /** PaySys answered 429: background work on every server waits until Retry-After has passed. */
  async pause(retryAfterMs: number): Promise<void> {
    await this.limiter.block(KEY, Math.max(1, Math.ceil(retryAfterMs / 1000)))
  }
}
