import { madeAccordingToStatus, mayReverse, sumAccepted } from "../refund-rules"
import type { RefundRow } from "../ledger-types"
import { attemptFixture as attempt } from "./attempt-fixture"

const row = (overrides: Partial<RefundRow>): RefundRow => ({
  id: "psref_1",
  attempt_id: "psatt_1",
  partner_trans_id: "payses_1-1",
  key: "refund_1",
  kind: "refund",
  origin: "medusa",
  amount: "14500000",
  currency: "uzs",
  state: "unknown",
  status_before: 2,
  booked_as: null,
  error: null,
  created_at: new Date(),
  updated_at: new Date(),
  ...overrides,
})

describe("what PaySys's status shows of a refund call whose answer was lost", () => {
  it.each([
    // a reversal: the payment canceled, or not
    ["cancel", 2, 3, true],
    ["cancel", 2, 2, false],
    ["cancel", 2, 6, false],
    ["cancel", 2, 1, null],
    ["cancel", 2, null, null],
    // a refund: the payment refunded since it was untouched, still untouched, or cannot tell
    ["refund", 2, 6, true],
    ["refund", 2, 2, false],
    ["refund", 6, 6, null],
    ["refund", 6, 2, false],
    ["refund", 2, 3, null],
    ["refund", null, 6, null],
  ] as const)("%s sent on status %s, status now %s -> made %s", (kind, before, now, made) => {
    expect(madeAccordingToStatus({ kind, status_before: before }, now)).toBe(made)
  })
})

describe("whether money is given back by a reversal", () => {
  const paid = attempt({ state: "paid", paysys_status: 2, paid_at: new Date(Date.now() - 3600_000) })
  it("the whole amount of an untouched payment within 7 days", () => {
    expect(mayReverse(paid, [], paid.amount)).toBe(true)
  })
  it.each([
    ["part of the amount", paid, [], "100"],
    ["after a refund PaySys accepted", paid, [row({ state: "accepted", amount: "100" })], paid.amount],
    ["a payment already refunded", attempt({ ...paid, paysys_status: 6 }), [], paid.amount],
    ["past PaySys's 7 days", attempt({ ...paid, paid_at: new Date(Date.now() - 8 * 24 * 3600_000) }), [], paid.amount],
    ["never seen paid", attempt({ ...paid, paid_at: null }), [], paid.amount],
  ])("not %s", (_, attempt, rows, amount) => {
    expect(mayReverse(attempt, rows, amount)).toBe(false)
  })
})

describe("what PaySys accepted to give back", () => {
  const rows = [
    row({ state: "accepted", kind: "refund", amount: "100" }),
    row({ state: "accepted", kind: "cancel", amount: "900" }),
    row({ state: "refused", kind: "refund", amount: "50" }),
    row({ state: "unknown", kind: "refund", amount: "70" }),
  ]
  it("counts accepted rows only, of one kind or all", () => {
    expect(sumAccepted(rows)).toBe(1000n)
    expect(sumAccepted(rows, "refund")).toBe(100n)
    expect(sumAccepted(rows, "cancel")).toBe(900n)
    expect(sumAccepted([])).toBe(0n)
  })
})
