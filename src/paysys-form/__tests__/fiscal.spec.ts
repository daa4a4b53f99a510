import { checkFiscalSum, fiscalizationAnswer } from "../fiscal"

describe("fiscal receipt and its sum rule", () => {
  it("holds for the spec's example: 75000 × 2 = 150000", () => {
    expect(checkFiscalSum([{ title: "Mug", price: 75000, count: 2 }], 150000)).toEqual({ ok: true, total: "150000" })
  })

  it("subtracts discounts, exactly with fractions of a sum", () => {
    const items = [
      { title: "Mug", price: 75000.1, count: 3, discount: 0.3 },
      { title: "Delivery", price: 20000, count: 1, discount: 5000 },
    ]
    expect(checkFiscalSum(items, "240000")).toEqual({ ok: true, total: "240000" })
  })

  it("fails naming the totals when the sum differs", () => {
    expect(checkFiscalSum([{ title: "Mug", price: 75000, count: 2 }], 150001)).toEqual({
      ok: false,
      total: "150000",
      reason: "Σ(price × count − discount) is 150000, the payment amount is 150001",
      itemIndex: null,
    })
  })

  it("fails naming the item whose discount reaches its price", () => {
    const result = checkFiscalSum(
      [
        { title: "Mug", price: 75000, count: 2 },
        { title: "Gift", price: 1000, count: 1, discount: 1000 },
      ],
      150000
    )
    expect(result).toMatchObject({ ok: false, itemIndex: 1, reason: expect.stringContaining("items[1] (Gift)") })
  })

  it("parses the documented answer and refuses an item without its IKPU code, naming it", () => {
    const answer = {
      ERROR: 0,
      ERROR_NOTE: "Success",
      PARAMETERS: {
        type: 0,
        items: [{ title: "Mug", price: 75000, count: 2, code: "06912001036000000", vat_percent: 12 }],
      },
    }
    expect(fiscalizationAnswer.parse(answer)).toEqual(answer)
    const noCode = fiscalizationAnswer.safeParse({
      ...answer,
      PARAMETERS: { type: 0, items: [{ title: "Mug", price: 1, count: 1 }] },
    })
    expect(noCode.error?.issues[0].path).toEqual(["PARAMETERS", "items", 0, "code"])
    const badType = fiscalizationAnswer.safeParse({ ...answer, PARAMETERS: { ...answer.PARAMETERS, type: 3 } })
    expect(badType.error?.issues[0].path).toEqual(["PARAMETERS", "type"])
  })
})
