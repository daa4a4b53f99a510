import { afterCheck } from "../attempt-checks"
import { looksAtAbandonedAttempt, nextLookAt, scheduleFrom, ScheduleOptions } from "../look-schedule"
import { attemptFixture as attempt } from "./attempt-fixture"

const DAY = 24 * 3600_000
const REVERSAL_WINDOW_MS = 7 * DAY

const defaults: ScheduleOptions = {
  reconcileAfterSeconds: 120,
  reconcileBackoffSeconds: undefined,
  reconcileHorizonDays: 8,
  reverseAfterSeconds: 900,
  timeoutMs: 15_000,
}

describe("how often an attempt nobody finishes is looked at", () => {
  it("by default: at most ten looks from creation to the horizon, two of them before the reversal window closes", () => {
    const looks = looksAtAbandonedAttempt(scheduleFrom(defaults))
    expect(looks.length).toBeLessThanOrEqual(10)
    expect(looks[0]).toBe(120_000)
    // the last look is past the horizon (it parks the attempt), none before it is
    expect(looks.at(-1)).toBeGreaterThan(8 * DAY)
    expect(looks.slice(0, -1).every((at) => at <= 8 * DAY)).toBe(true)
    // a payment made late is still seen paid, and reversed (15 min later), within 7 days
    const beforeWindowCloses = looks.filter((at) => at + 900_000 < REVERSAL_WINDOW_MS && at > 6 * DAY)
    expect(beforeWindowCloses.length).toBeGreaterThanOrEqual(1)
    // dense while the shopper may still be paying, sparse after the first day
    expect(looks.filter((at) => at <= DAY).length).toBeGreaterThanOrEqual(5)
    const later = looks.filter((at) => at > DAY)
    later.slice(1).forEach((at, n) => expect(at - later[n]).toBeGreaterThanOrEqual(DAY / 2))
  })

  it("the merchant's ladder of waits still applies when set: the old default looks about 195 times", () => {
    const looks = looksAtAbandonedAttempt(scheduleFrom({ ...defaults, reconcileBackoffSeconds: [60, 300, 1800, 3600] }))
    expect(looks.length).toBeGreaterThan(190)
    expect(looks.slice(0, 5)).toEqual([120_000, 180_000, 480_000, 2_280_000, 5_880_000])
  })

  it("a shorter horizon keeps only the looks before it, and one past it", () => {
    const looks = looksAtAbandonedAttempt(scheduleFrom({ ...defaults, reconcileHorizonDays: 2 }))
    expect(looks.at(-1)).toBeGreaterThan(2 * DAY)
    expect(looks.at(-2)).toBeLessThanOrEqual(2 * DAY)
    expect(looks.length).toBeLessThanOrEqual(7)
  })

  it("the next look counts from the attempt's creation, whatever looks were made meanwhile (a notification, a new card)", () => {
    const schedule = scheduleFrom(defaults)
    const created = new Date(0)
    expect(nextLookAt(schedule, { created_at: created, checks: 7 }, 30 * 60_000).getTime()).toBe(3600_000)
    expect(nextLookAt(schedule, { created_at: created, checks: 0 }, 2 * DAY).getTime()).toBe(3 * DAY)
  })

  it("an open attempt checked past the horizon is parked", () => {
    const schedule = scheduleFrom(defaults)
    const old = attempt({ created_at: new Date(Date.now() - 8 * DAY - 60_000) })
    const answer = { transaction_id: "1", partner_trans_id: old.partner_trans_id, status: 1, data: {}, err_obj: null }
    expect(afterCheck(old, answer, schedule)).toMatchObject({ event: "paysys_open_at_horizon", next_check_at: null })
  })
})
