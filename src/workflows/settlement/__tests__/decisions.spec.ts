import { ATTEMPT_STATES } from "../../../modules/paysys/attempt-machine"
import {
  actionFor,
  actionForCaptured,
  actionForOrder,
  actionForPaid,
  givingBackStarts,
  nextLookOfCaptured,
  outcomeOfReversal,
} from "../decisions"

describe("what settlement does with a checked attempt, by state", () => {
  const fresh = { fromJob: false, waitedMs: 1_000, abandonAfterMs: 60_000 }
  it.each([
    ["sending", fresh, { outcome: "pending" }],
    ["open", fresh, { outcome: "pending" }],
    ["open", { ...fresh, waitedMs: 61_000 }, { outcome: "abandoned", session: "ask_again" }],
    ["paid", fresh, "settle_paid"],
    ["captured", fresh, "settle_captured"],
    ["reversing", fresh, "reverse"],
    ["failed", fresh, { outcome: "failed", session: "error" }],
    ["failed", { ...fresh, fromJob: true }, { outcome: "failed" }],
    ["never_sent", fresh, { outcome: "never_sent", session: "ask_again" }],
    ["never_sent", { ...fresh, fromJob: true }, { outcome: "never_sent" }],
    ["reversed", fresh, { outcome: "reversed" }],
    ["attention", fresh, { outcome: "attention" }],
  ] as const)("%s (%j) -> %j", (state, facts, action) => {
    expect(actionFor(state, facts)).toEqual(action)
  })

  it("has an action for every state", () => {
    for (const state of ATTEMPT_STATES) {
      expect(actionFor(state, fresh)).toBeDefined()
    }
  })
})

describe("a paid attempt no Medusa payment holds", () => {
  it.each([
    [{ blocker: null, otherPayments: 0, claimedOther: false }, { do: "complete_cart" }],
    [{ blocker: null, otherPayments: 0, claimedOther: true }, { do: "wait_for_claimed" }],
    [
      { blocker: null, otherPayments: 1, claimedOther: false },
      { do: "settle_others_then_give_back", reason: "second_payment" },
    ],
    [
      { blocker: "cart_total_changed", otherPayments: 0, claimedOther: false },
      { do: "give_back", reason: "cart_total_changed" },
    ],
    [
      { blocker: "cart_completed_otherwise", otherPayments: 2, claimedOther: true },
      { do: "give_back", reason: "cart_completed_otherwise" },
    ],
  ])("%j -> %j", (facts, action) => {
    expect(actionForPaid(facts)).toEqual(action)
  })

  it("is given back when its grace period ends, counted from when it was seen paid", () => {
    const paidAt = new Date(1_000_000)
    expect(givingBackStarts(paidAt, 900_000, 1_500_000)).toEqual(new Date(1_900_000))
    expect(givingBackStarts(paidAt, 900_000, 1_900_000)).toBe("now")
    expect(givingBackStarts(null, 900_000, 5_000)).toEqual(new Date(905_000))
    expect(givingBackStarts(paidAt, 0, 1_000_000)).toBe("now")
  })
})

describe("an order's payment, by PaySys's status", () => {
  const accepted = (kind: "refund" | "cancel", amount = "100") => ({ kind, state: "accepted" as const, amount })
  it.each([
    [3, [], false, "record_reversal"],
    [3, [accepted("cancel")], false, "note"],
    [3, [accepted("refund", "50")], false, "record_reversal"],
    [6, [], false, "show_unexplained_refund"],
    [6, [], true, "note"],
    [6, [accepted("refund", "50")], false, "note"],
    [2, [], false, "place_order_if_missing"],
    [2, [accepted("refund", "50")], true, "place_order_if_missing"],
    [1, [], false, "note"],
    [null, [], false, "note"],
  ] as const)("status %s, refunds %j, unresolved %s -> %s", (paysysStatus, refunds, unresolved, action) => {
    expect(actionForCaptured({ paysysStatus, refunds: [...refunds], unresolved })).toBe(action)
  })

  it("is looked at next: soon while a refund is in doubt, at the grace end for a scheduled refund, else when a booking is due", () => {
    const backoff = new Date(1)
    const graceEnds = new Date(2)
    const bookLater = new Date(3)
    const facts = { inFlight: false, outcome: "refund_noted" as const, backoff, graceEnds, bookLater }
    expect(nextLookOfCaptured({ ...facts, inFlight: true })).toBe(backoff)
    expect(nextLookOfCaptured({ ...facts, outcome: "reversal_scheduled" })).toBe(graceEnds)
    expect(nextLookOfCaptured(facts)).toBe(bookLater)
    expect(nextLookOfCaptured({ ...facts, bookLater: null })).toBeNull()
  })
})

describe("a captured payment whose cart may have no order", () => {
  const base = {
    cartId: "cart_1",
    hasOrder: false,
    cartUsesCollection: true,
    sessionAlive: true,
    sessionCompletable: true,
  }
  it.each([
    [base, "complete_cart"],
    [{ ...base, cartId: null }, "give_back"],
    [{ ...base, hasOrder: true }, "already_placed"],
    [{ ...base, hasOrder: true, cartUsesCollection: false }, "already_placed"],
    [{ ...base, cartUsesCollection: false }, "give_back"],
    [{ ...base, sessionAlive: false, sessionCompletable: false }, "set_aside"],
    [{ ...base, sessionCompletable: false }, "give_back"],
  ])("%j -> %s", (facts, action) => {
    expect(actionForOrder(facts)).toBe(action)
  })
})

describe("a reversal's end", () => {
  it.each([
    ["reversed", "reversed"],
    ["attention", "attention"],
    ["reversing", "reversal_pending"],
  ] as const)("%s -> %s", (state, outcome) => {
    expect(outcomeOfReversal(state)).toBe(outcome)
  })
})
