import { statementLineProblems } from "../statement"

describe("checking a Statement line", () => {
  const line = {
    ENVIRONMENT: "sandbox",
    AGR_TRANS_ID: 987654321,
    VENDOR_TRANS_ID: 5001,
    MERCHANT_TRANS_ID: "ORD-5001",
    MERCHANT_TRANS_AMOUNT: 150000,
    STATE: 2,
    DATE: 1732406470456,
  } as const

  it("finds nothing wrong with the spec's example line", () => {
    expect(
      statementLineProblems(line, {
        STATE: 2,
        VENDOR_TRANS_ID: 5001,
        MERCHANT_TRANS_ID: "ORD-5001",
        MERCHANT_TRANS_AMOUNT: "150000",
        ENVIRONMENT: "sandbox",
      })
    ).toEqual([])
  })

  it("names every field that differs", () => {
    expect(
      statementLineProblems(line, {
        STATE: 3,
        VENDOR_TRANS_ID: 5001,
        MERCHANT_TRANS_ID: "ORD-5001",
        MERCHANT_TRANS_AMOUNT: 150001,
        ENVIRONMENT: "live",
      })
    ).toEqual([
      "STATE 2, expected 3",
      "MERCHANT_TRANS_AMOUNT 150000, expected 150001",
      "ENVIRONMENT sandbox, expected live",
    ])
  })
})
