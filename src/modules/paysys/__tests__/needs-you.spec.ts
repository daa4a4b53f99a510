import { kindOf, NEEDS_YOU_ACTIONS } from "../needs-you"

describe("what waits for the merchant", () => {
  it("names why an attempt waits, from its state, outcome and method", () => {
    expect(kindOf("attempt", "attention", "no_order: refund it in the PaySys cabinet", "form")).toBe(
      "form_refund_in_cabinet"
    )
    expect(kindOf("attempt", "attention", "cart_total_changed", "card")).toBe("reversal_refused")
    expect(kindOf("attempt", "attention", "still_open_at_horizon", "form")).toBe("unsettled_at_horizon")
    expect(kindOf("attempt", "captured", "refund_unexplained", "card")).toBe("refund_unexplained")
    expect(kindOf("refund", "captured", null, "card")).toBe("refund_in_doubt")
    expect(kindOf("notification", null, null, null)).toBe("notification_parked")
    expect(kindOf("contradiction", "paid", null, "form")).toBe("cancel_contradicted")
  })

  it("gives every kind one action", () => {
    expect(NEEDS_YOU_ACTIONS).toEqual({
      form_refund_in_cabinet: "record_refunded_in_cabinet",
      reversal_refused: "record_refunded_in_cabinet",
      unsettled_at_horizon: "record_refunded_in_cabinet",
      refund_unexplained: "record_refund_made_at_paysys",
      refund_in_doubt: "settle_refund_in_doubt",
      notification_parked: "retry_notification",
      cancel_contradicted: "acknowledge_contradiction",
    })
  })
})
