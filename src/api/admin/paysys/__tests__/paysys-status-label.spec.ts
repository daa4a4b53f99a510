import type { PaysysStatusLabel } from "../paysys-order-panel-types"
import { statusLabel } from "../paysys-status-label"

describe("statusLabel", () => {
  const cases: [string, number | null, string | null, string | null, PaysysStatusLabel][] = [
    ["no status", null, null, null, "unknown"],
    ["not a number", NaN, null, null, "unknown"],
    ["created", 0, null, null, "waiting"],
    ["awaiting 3-D Secure", 1, null, null, "waiting"],
    ["paid", 2, null, null, "paid"],
    ["reversed", 3, null, null, "reversed"],
    ["refunded in full", 6, "1000", "1000", "refunded"],
    ["refunded in part", 6, "1000", "400", "partially_refunded"],
    ["refunded, amounts unknown", 6, null, null, "refunded"],
    ["refunded, nothing recorded yet", 6, "1000", null, "refunded"],
    ["a failure", -3, null, null, "failed"],
    ["a status PaySys does not document", 4, null, null, "unknown"],
  ]

  it.each(cases)("%s (%p, amount %p, refunded %p) is %p", (_name, status, amount, refunded, label) => {
    expect(statusLabel(status, amount, refunded)).toBe(label)
  })
})
