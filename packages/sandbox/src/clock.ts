/**
 * The sandbox's business clock: real time plus an offset that tests move forward
 * (`POST /__sandbox/clock {advanceMs}`). It drives card expiry, the 7-day cancel window,
 * and every date the sandbox reports. The Auth header's timestamp is checked against
 * real time instead: the merchant's clock does not move with the sandbox's.
 */
export class SandboxClock {
  private offset = 0

  now(): number {
    return Date.now() + this.offset
  }

  get offsetMs(): number {
    return this.offset
  }

  advance(ms: number): number {
    this.offset += ms
    return this.now()
  }

  reset(): void {
    this.offset = 0
  }
}

/** PaySys is in Tashkent (UTC+5, no daylight saving): the notification's `date` is local time there. */
export const PAYSYS_UTC_OFFSET_MINUTES = 5 * 60

/** "24.06.2022 07:49:16", the format of the status notification's `date`, in PaySys's time zone. */
export function formatPaysysDate(epochMs: number): string {
  const d = new Date(epochMs + PAYSYS_UTC_OFFSET_MINUTES * 60_000)
  const two = (n: number) => String(n).padStart(2, "0")
  return (
    `${two(d.getUTCDate())}.${two(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`
  )
}
