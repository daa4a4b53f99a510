import { afterCheck, afterFailedCheck, afterNotFound } from "../attempt-checks"
import { backoffAt, Schedule } from "../look-schedule"
import { PaysysRateLimitedError } from "../../../paysys"
import { attemptFixture as attempt } from "./attempt-fixture"

const schedule: Schedule = {
  firstCheckMs: 120_000,
  backoffMs: [60_000, 300_000, 1_800_000, 3_600_000],
  looksAfterMs: null,
  horizonMs: 8 * 24 * 3600_000,
  reverseAfterMs: 900_000,
  sendMarginMs: 30_000,
}

const answer = (status: number, data: Record<string, unknown> = {}) => ({
  transaction_id: "1",
  partner_trans_id: "payses_1-1",
  status,
  data,
  err_obj: status < 0 ? { code: -33005, message: "Declined by the card issuer" } : null,
})

describe("what PaySys's answer makes of an attempt", () => {
  it("paid (2 or 6): paid, seen paid now, to be settled at once", () => {
    for (const status of [2, 6]) {
      const patch = afterCheck(
        attempt(),
        answer(status, { RRN: "207011889463", CARD_NUMBER: "411111******1111" }),
        schedule
      )
      expect(patch).toMatchObject({
        event: "paysys_paid",
        paysys_status: status,
        bank: { rrn: "207011889463", card_masked: "411111******1111" },
      })
      expect(patch.paid_at).toBeInstanceOf(Date)
      expect(patch.next_check_at!.getTime()).toBeLessThanOrEqual(Date.now())
    }
  })

  it("keeps the time it was first seen paid: the reversal grace period counts from it", () => {
    const paidAt = new Date(Date.now() - 60_000)
    expect(afterCheck(attempt({ state: "paid", paid_at: paidAt }), answer(2), schedule).paid_at).toBe(paidAt)
  })

  it("failed (negative): final, with PaySys's reason", () => {
    expect(afterCheck(attempt(), answer(-1), schedule)).toMatchObject({
      event: "paysys_declined",
      next_check_at: null,
      bank: { error: { code: -33005, message: "Declined by the card issuer" } },
    })
  })

  it("reversed (3) before any order: final", () => {
    expect(afterCheck(attempt(), answer(3), schedule)).toMatchObject({ event: "paysys_reversed", next_check_at: null })
  })

  it("an order's payment stays one when PaySys reports a refund or reversal: settling looks at it now", () => {
    const captured = attempt({ state: "captured", payment_id: "pay_1", next_check_at: null })
    expect(afterCheck(captured, answer(2), schedule)).toMatchObject({ next_check_at: null })
    // a look scheduled for a refund whose answer was lost is not cancelled by a check
    const scheduled = new Date(Date.now() + 1000)
    expect(afterCheck({ ...captured, next_check_at: scheduled }, answer(2), schedule).next_check_at).toBe(scheduled)
    for (const status of [3, 6]) {
      const patch = afterCheck(captured, answer(status), schedule)
      expect(patch.event).toBeUndefined()
      expect(patch.next_check_at!.getTime()).toBeLessThanOrEqual(Date.now())
    }
  })

  it("open (0, 1): looked at again with backoff, less and less often, the last step repeating", () => {
    const now = Date.now()
    const waits = [0, 1, 2, 3, 4, 9].map(
      (checks) => afterCheck(attempt({ checks }), answer(1), schedule).next_check_at!.getTime() - now
    )
    expect(waits.map((ms) => Math.round(ms / 1000))).toEqual([60, 300, 1800, 3600, 3600, 3600])
    expect(afterCheck(attempt(), answer(0), schedule).event).toBe("paysys_open")
  })

  it("still open past the horizon: parked for the merchant, no more looks", () => {
    const old = attempt({ created_at: new Date(Date.now() - schedule.horizonMs - 1) })
    expect(afterCheck(old, answer(1), schedule)).toMatchObject({
      event: "paysys_open_at_horizon",
      outcome: "still_open_at_horizon",
      next_check_at: null,
    })
  })

  describe("a check that fails with an unknown error", () => {
    const failure = new Error("socket hang up")

    it("is tried again with backoff, never sooner than a 429's Retry-After", () => {
      const now = Date.now()
      expect(afterFailedCheck(attempt({ state: "sending", checks: 9 }), schedule, failure, now)).toMatchObject({
        checks: 10,
        next_check_at: new Date(now + 3_600_000),
        last_error: "socket hang up",
      })
      const limited = new PaysysRateLimitedError("check_payment", 7_200_000)
      expect(afterFailedCheck(attempt({ checks: 0 }), schedule, limited, now).next_check_at).toEqual(
        new Date(now + 7_200_000)
      )
    })

    it("on money without an order (paid, being given back): the ladder's first step, however often it was checked", () => {
      const now = Date.now()
      for (const state of ["paid", "reversing"] as const) {
        expect(afterFailedCheck(attempt({ state, checks: 3 }), schedule, failure, now).next_check_at).toEqual(
          new Date(now + 60_000)
        )
      }
      // an order's payment waits as any other attempt does
      expect(afterFailedCheck(attempt({ state: "captured", checks: 3 }), schedule, failure, now).next_check_at).toEqual(
        new Date(now + 3_600_000)
      )
      const limited = new PaysysRateLimitedError("check_payment", 7_200_000)
      expect(afterFailedCheck(attempt({ state: "paid", checks: 3 }), schedule, limited, now).next_check_at).toEqual(
        new Date(now + 7_200_000)
      )
    })

    it("on an open attempt: no later than its next regular look, however often it was checked", () => {
      const now = Date.now()
      const looks = { ...schedule, looksAfterMs: [600_000, 3_600_000] }
      const created_at = new Date(now - 120_000)
      // checked three times: the ladder says an hour; its look ten minutes after creation comes first
      expect(
        afterFailedCheck(attempt({ state: "open", checks: 3, created_at }), looks, failure, now).next_check_at
      ).toEqual(new Date(created_at.getTime() + 600_000))
      // once: the ladder's minute comes first
      expect(
        afterFailedCheck(attempt({ state: "open", checks: 0, created_at }), looks, failure, now).next_check_at
      ).toEqual(new Date(now + 60_000))
      // sent, not yet known to PaySys: the ladder
      expect(
        afterFailedCheck(attempt({ state: "sending", checks: 3, created_at }), looks, failure, now).next_check_at
      ).toEqual(new Date(now + 3_600_000))
      // a 429's Retry-After still holds it back
      const limited = new PaysysRateLimitedError("check_payment", 7_200_000)
      expect(
        afterFailedCheck(attempt({ state: "open", checks: 3, created_at }), looks, limited, now).next_check_at
      ).toEqual(new Date(now + 7_200_000))
    })

    it("past the horizon, on an attempt PaySys never said took money (sending, open): parked for the merchant", () => {
      const created_at = new Date(Date.now() - schedule.horizonMs - 1)
      for (const state of ["sending", "open"] as const) {
        expect(afterFailedCheck(attempt({ state, created_at, checks: 200 }), schedule, failure)).toMatchObject({
          event: "unchecked_at_horizon",
          outcome: "unchecked_at_horizon",
          next_check_at: null,
          last_error: "socket hang up",
        })
      }
    })

    it("past the horizon, on an attempt that may hold money: looked at again", () => {
      const created_at = new Date(Date.now() - schedule.horizonMs - 1)
      for (const state of ["paid", "captured", "reversing"] as const) {
        const patch = afterFailedCheck(attempt({ state, created_at }), schedule, failure)
        expect(patch.event).toBeUndefined()
        expect(patch.next_check_at).toBeInstanceOf(Date)
      }
    })
  })

  it("bank data an answer leaves out is kept; a full card number is masked", () => {
    const known = attempt({ bank: { rrn: "1", approval_code: "2", card_masked: "411111******1111" } })
    expect(afterCheck(known, answer(2, { CARD_NUMBER: "4111111111111111" }), schedule).bank).toMatchObject({
      rrn: "1",
      approval_code: "2",
      card_masked: expect.not.stringContaining("4111111111111111"),
    })
  })

  it("backoffAt follows the ladder", () => {
    expect(backoffAt(schedule, 1, 0).getTime()).toBe(300_000)
    expect(backoffAt(schedule, 100, 0).getTime()).toBe(3_600_000)
  })
})

describe('what PaySys\'s "not found" makes of an attempt', () => {
  it("sent longer ago than the send margin: never received", () => {
    const old = attempt({ state: "sending", sent_at: new Date(Date.now() - schedule.sendMarginMs - 1) })
    expect(afterNotFound(old, schedule)).toMatchObject({ event: "paysys_never_received", next_check_at: null })
  })

  it("sent a moment ago: the write may still be on its way, looked at again", () => {
    const fresh = attempt({ state: "sending", sent_at: new Date(), checks: 0 })
    const change = afterNotFound(fresh, schedule)
    expect(change.event).toBeUndefined()
    expect(change.next_check_at!.getTime()).toBeGreaterThan(Date.now() + schedule.backoffMs[0] - 1_000)
  })

  it.each(["never_sent", "failed", "reversed"] as const)(
    "%s: ended without money, nothing left to look at (a later settle does not start the looks again)",
    (state) => {
      expect(afterNotFound(attempt({ state, checks: 4 }), schedule)).toEqual({ checks: 5, next_check_at: null })
    }
  )
})
