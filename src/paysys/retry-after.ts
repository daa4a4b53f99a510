/**
 * The wait after a 429 without a readable Retry-After: PaySys's limit counts requests per
 * minute, so a minute is the one wait sure to be enough.
 */
export const DEFAULT_RETRY_AFTER_MS = 60_000

/**
 * Retry-After as milliseconds from now: delta-seconds ("120") or an HTTP date; absent or
 * unreadable, DEFAULT_RETRY_AFTER_MS. A date already past means at once.
 */
export function parseRetryAfter(header: unknown, now = Date.now()): number {
  const value = typeof header === "string" ? header.trim() : ""
  if (/^\d+$/.test(value)) {
    return Number(value) * 1000
  }
  const date = /[a-z]/i.test(value) ? Date.parse(value) : NaN
  return Number.isNaN(date) ? DEFAULT_RETRY_AFTER_MS : Math.max(0, date - now)
}
