import { PaysysValidationError } from "../../paysys/errors"
import { fromFormAmount, toFormAmount, toFormCurrency } from "../amounts"
import { buildFormFields, formFieldsSchema } from "../form-fields"
import { isFormSignatureValid } from "../signatures"

const SECRET = "demoSecret#2024!"

describe("the signed form fields", () => {
  it("builds the spec's UZS example from minor units (tiyin) and signs it", () => {
    const fields = buildFormFields({
      vendorId: 101234,
      secretKey: SECRET,
      merchantTransId: "ORD-5001",
      amount: "15000000",
      currency: "UZS",
      note: "Order ORD-5001",
      returnUrl: "https://shop.example/paysys/return/ORD-5001",
      signTime: 1732406400000,
    })
    expect(fields).toEqual({
      VENDOR_ID: "101234",
      MERCHANT_TRANS_ID: "ORD-5001",
      MERCHANT_TRANS_AMOUNT: "150000",
      MERCHANT_CURRENCY: "sum",
      MERCHANT_TRANS_NOTE: "Order ORD-5001",
      MERCHANT_TRANS_RETURN_URL: "https://shop.example/paysys/return/ORD-5001",
      SIGN_TIME: "1732406400000",
      SIGN_STRING: "6b3164ba1bd24c6822fce6e5dc69b195",
    })
    expect(formFieldsSchema.parse(fields)).toEqual(fields)
    expect(JSON.stringify(fields)).not.toContain(SECRET)
  })

  it("builds the USD example and base64-encodes the unsigned data", () => {
    const fields = buildFormFields({
      vendorId: "101234",
      secretKey: SECRET,
      merchantTransId: "ORD-5002",
      amount: 2500,
      currency: "usd",
      note: "n",
      data: { key1: "value1", key2: "value2" },
      signTime: 1732406400000,
    })
    expect(fields.SIGN_STRING).toBe("8a08ad573d80dc858ce763713c119e47")
    expect(fields.MERCHANT_TRANS_DATA).toBe("eyJrZXkxIjoidmFsdWUxIiwia2V5MiI6InZhbHVlMiJ9")
    expect(
      isFormSignatureValid(
        "form",
        SECRET,
        { ...fields, MERCHANT_TRANS_AMOUNT: fields.MERCHANT_TRANS_AMOUNT },
        fields.SIGN_STRING
      )
    ).toBe(true)
  })

  it("signs with the current time in milliseconds by default", () => {
    const before = Date.now()
    const fields = buildFormFields({
      vendorId: 1,
      secretKey: "s",
      merchantTransId: "a",
      amount: 100,
      currency: "uzs",
      note: "n",
    })
    expect(Number(fields.SIGN_TIME)).toBeGreaterThanOrEqual(before)
    expect(fields.SIGN_TIME).toMatch(/^\d{13}$/)
  })

  it.each([
    [{ note: "" }, "note"],
    [{ vendorId: "abc" }, "vendorId"],
    [{ merchantTransId: "x".repeat(257) }, "merchantTransId"],
    [{ returnUrl: "javascript:alert(1)" }, "returnUrl"],
    [{ currency: "eur" }, "currency"],
    [{ amount: "15000050" }, "amount"],
    [{ secretKey: "" }, "secretKey"],
  ])("refuses %j naming %s", (override, field) => {
    const input = {
      vendorId: 1,
      secretKey: "s",
      merchantTransId: "a",
      amount: "100",
      currency: "uzs",
      note: "n",
      ...override,
    }
    expect(() => buildFormFields(input)).toThrow(PaysysValidationError)
    try {
      buildFormFields(input)
    } catch (error) {
      expect((error as PaysysValidationError).field).toBe(field)
    }
  })
})

describe("form amounts (integer major units) and currencies", () => {
  it("converts minor units exactly, both ways", () => {
    expect(toFormAmount("15000000", "uzs")).toBe("150000")
    expect(toFormAmount("123456789012345600", "uzs")).toBe("1234567890123456")
    expect(fromFormAmount("150000", "uzs")).toBe("15000000")
    expect(toFormAmount(2500, "usd")).toBe("25")
    expect(toFormCurrency("UZS")).toEqual({ currency: "uzs", name: "sum" })
  })

  it("refuses a fraction of a major unit by default and rounds half up when asked", () => {
    expect(() => toFormAmount("2550", "usd")).toThrow("whole USD only")
    expect(toFormAmount("2550", "usd", { roundingMode: "half_up" })).toBe("26")
    expect(toFormAmount("2549", "usd", { roundingMode: "half_up" })).toBe("25")
    expect(() => toFormAmount("40", "usd", { roundingMode: "half_up" })).toThrow("rounds to 0")
  })

  it("applies limits only when set", () => {
    expect(toFormAmount("100", "uzs")).toBe("1")
    expect(() => toFormAmount("100", "uzs", { amountLimits: { uzs: { min: 1000 } } })).toThrow("at least 1000 UZS")
    expect(() => toFormAmount("1000000", "usd", { amountLimits: { usd: { max: 5000 } } })).toThrow("at most 5000 USD")
  })

  it("refuses zero, negatives and fractions of minor units", () => {
    for (const bad of ["0", "-100", "10.5", "abc"]) {
      expect(() => toFormAmount(bad, "uzs")).toThrow(PaysysValidationError)
    }
  })
})
