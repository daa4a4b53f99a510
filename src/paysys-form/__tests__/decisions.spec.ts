import { decideCancel, decideNotify, decidePay, FormAttemptView } from "../decisions"
import { NotifyRequest, PayRequest } from "../schemas"

const NOW = 1_732_406_470_456
const pay = (overrides: Partial<PayRequest> = {}): PayRequest => ({
  VENDOR_ID: "101234",
  PAYMENT_ID: "9",
  PAYMENT_NAME: "uzcard",
  AGR_TRANS_ID: "987654321",
  MERCHANT_TRANS_ID: "ORD-5001",
  MERCHANT_TRANS_AMOUNT: "150000",
  ENVIRONMENT: "sandbox",
  SIGN_TIME: String(NOW),
  SIGN_STRING: "c3784c0960760938ef2051dfa463c97b",
  ...overrides,
})
const attempt = (overrides: Partial<FormAttemptView> = {}): FormAttemptView => ({
  agrTransId: "987654321",
  vendorTransId: 5001,
  state: "pay_accepted",
  payAcceptedAt: NOW - 1000,
  ...overrides,
})
const order = { amount: "150000", state: "open" as const }
const decide = (input: Partial<Parameters<typeof decidePay>[0]> = {}) =>
  decidePay({ request: pay(), vendorId: "101234", deployment: "sandbox", order, attempts: [], now: NOW, ...input })

describe("deciding Pay (checks in order, repeats)", () => {
  it("accepts a first Pay for an open order with its amount", () => {
    expect(decide()).toEqual({ kind: "accept" })
  })

  it.each([
    ["another VENDOR_ID", { request: pay({ VENDOR_ID: "1" }) }, "VENDOR_NOT_FOUND"],
    ["a sandbox Pay on a live deployment", { deployment: "live" as const }, "BAD_REQUEST"],
    ["an unknown order", { order: null }, "USER_NOT_FOUND"],
    ["another amount", { request: pay({ MERCHANT_TRANS_AMOUNT: "1" }) }, "INCORRECT_AMOUNT"],
    ["a paid order", { order: { amount: "150000", state: "paid" as const } }, "ALREADY_PAID"],
    ["a cancelled order", { order: { amount: "150000", state: "cancelled" as const } }, "TRANSACTION_CANCELLED"],
    ["an order another attempt paid", { attempts: [attempt({ agrTransId: "1", state: "paid" })] }, "ALREADY_PAID"],
    [
      "an order with another attempt pending for less than 15 minutes",
      { attempts: [attempt({ agrTransId: "1" })] },
      "ALREADY_PAID",
    ],
    ["the same AGR_TRANS_ID, paid", { attempts: [attempt({ state: "paid" })] }, "ALREADY_PAID"],
    ["the same AGR_TRANS_ID, cancelled", { attempts: [attempt({ state: "cancelled" })] }, "TRANSACTION_CANCELLED"],
  ])("refuses %s", (_what, input, error) => {
    expect(decide(input)).toEqual({ kind: "refuse", error })
  })

  it("checks the vendor before the order, and the order before the amount", () => {
    expect(decide({ request: pay({ VENDOR_ID: "1", MERCHANT_TRANS_AMOUNT: "1" }), order: null })).toMatchObject({
      error: "VENDOR_NOT_FOUND",
    })
    expect(decide({ request: pay({ MERCHANT_TRANS_AMOUNT: "1" }), order: null })).toMatchObject({
      error: "USER_NOT_FOUND",
    })
  })

  it("answers the same Pay again with the same VENDOR_TRANS_ID", () => {
    expect(decide({ attempts: [attempt()] })).toEqual({ kind: "repeat", vendorTransId: 5001 })
  })

  it("accepts a new attempt once the pending one is older than the TTL", () => {
    const old = attempt({ agrTransId: "1", payAcceptedAt: NOW - 15 * 60 * 1000 })
    expect(decide({ attempts: [old] })).toEqual({ kind: "accept" })
    expect(decide({ attempts: [old], pendingAttemptTtlMs: 60 * 60 * 1000 })).toMatchObject({
      kind: "refuse",
      error: "ALREADY_PAID",
    })
  })
})

describe("deciding Notify and Cancel", () => {
  const notify = (status: 2 | 3, overrides: Partial<NotifyRequest> = {}): NotifyRequest => ({
    AGR_TRANS_ID: "987654321",
    VENDOR_TRANS_ID: "5001",
    STATUS: status,
    SIGN_TIME: String(NOW),
    SIGN_STRING: "x",
    ...overrides,
  })

  it("applies 2 then 3, and answers repeats without effect", () => {
    expect(decideNotify(notify(2), attempt())).toEqual({ kind: "apply", state: "paid" })
    expect(decideNotify(notify(2), attempt({ state: "paid" }))).toMatchObject({ kind: "ignore" })
    expect(decideNotify(notify(3), attempt({ state: "paid" }))).toEqual({ kind: "apply", state: "cancelled" })
    expect(decideNotify(notify(3), attempt({ state: "cancelled" }))).toMatchObject({ kind: "ignore" })
  })

  it("keeps a cancelled payment cancelled when Notify 2 comes late", () => {
    expect(decideNotify(notify(2), attempt({ state: "cancelled" }))).toEqual({
      kind: "ignore",
      reason: "Notify 2 after cancellation: stays cancelled",
    })
  })

  it("refuses -6 an unknown VENDOR_TRANS_ID or one stored with another AGR_TRANS_ID", () => {
    expect(decideNotify(notify(2), null)).toEqual({ kind: "refuse", error: "TRANSACTION_NOT_FOUND" })
    expect(decideNotify(notify(2, { AGR_TRANS_ID: "1" }), attempt())).toEqual({
      kind: "refuse",
      error: "TRANSACTION_NOT_FOUND",
    })
    expect(decideCancel({ AGR_TRANS_ID: "1", VENDOR_TRANS_ID: "5001" }, attempt())).toEqual({
      kind: "refuse",
      error: "TRANSACTION_NOT_FOUND",
    })
  })

  it("allows Cancel once, then -9", () => {
    const request = { AGR_TRANS_ID: "987654321", VENDOR_TRANS_ID: "5001" }
    expect(decideCancel(request, attempt({ state: "paid" }))).toEqual({ kind: "apply", state: "cancelled" })
    expect(decideCancel(request, attempt({ state: "cancelled" }))).toEqual({
      kind: "refuse",
      error: "TRANSACTION_CANCELLED",
    })
  })
})
