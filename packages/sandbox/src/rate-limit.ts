/**
 * PaySys's request limit (documented: 100 requests a minute by default), as the sandbox's
 * `requestsPerMinute`: past N calls in a sliding minute a call is refused, with the seconds until
 * the oldest call in the window leaves it. Real time, not the sandbox clock (as the Auth check).
 */
export const RATE_LIMIT_WINDOW_MS = 60_000

export class RequestRateLimit {
  /** times of the calls let through in the last window, oldest first */
  private accepted: number[] = []

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now
  ) {}

  /** Counts a call: null when it may go on, else the whole seconds to wait (Retry-After). */
  take(): number | null {
    const now = this.now()
    while (this.accepted.length > 0 && this.accepted[0] <= now - RATE_LIMIT_WINDOW_MS) {
      this.accepted.shift()
    }
    if (this.accepted.length < this.perMinute) {
      this.accepted.push(now)
      return null
    }
    return Math.max(1, Math.ceil((this.accepted[0] + RATE_LIMIT_WINDOW_MS - now) / 1000))
  }

  reset(): void {
    this.accepted = []
  }
}
