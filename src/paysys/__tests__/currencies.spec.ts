import {
  assertPaymentAmountWithinLimits,
  currencyFromNumericCode,
  fromMinorUnits,
  normalizeDecimal,
  PaysysValidationError,
  toMinorUnits,
  toPaysysCurrency,
} from ".."

describe("amounts in minor units", () => {
  it.each([
    ["2.675", "usd", "268"], // 2.675 * 100 is 267.49999999999997 in floats
    ["1.005", "usd", "101"], // 100.49999999999999 in floats
    ["0.285", "eur", "29"],
    ["11390", "uzs", "1139000"], // the documented monthly subscription
    ["1000.01", "uzs", "100001"],
    ["19.99", "rub", "1999"],
    ["75000000", "uzs", "7500000000"],
    ["12345678901234.56", "rub", "1234567890123456"], // past Number.MAX_SAFE_INTEGER / 100
  ])("%s %s -> %s", (major, currency, minor) => {
    expect(toMinorUnits(major, toPaysysCurrency(currency))).toBe(minor)
  })

  it("round-trips exactly", () => {
    expect(fromMinorUnits("1139000", "uzs")).toBe("11390")
    expect(fromMinorUnits("268", "usd")).toBe("2.68")
    expect(fromMinorUnits("1234567890123456", "rub")).toBe("12345678901234.56")
  })

  it("refuses negative or non-numeric amounts", () => {
    expect(() => toMinorUnits("-1", "usd")).toThrow(PaysysValidationError)
    expect(() => toMinorUnits("abc", "usd")).toThrow(/amount/)
  })

  it("reads PaySys's decimal comma", () => {
    expect(normalizeDecimal("100,00")).toBe("100")
    expect(normalizeDecimal(1000)).toBe("1000")
    expect(normalizeDecimal("1 000,50")).toBe("1000.5")
  })
})

describe("currencies", () => {
  it("maps ISO 4217 numeric codes", () => {
    expect(currencyFromNumericCode(840)).toBe("usd")
    expect(currencyFromNumericCode("860")).toBe("uzs")
    expect(currencyFromNumericCode(978)).toBe("eur")
    expect(currencyFromNumericCode(643)).toBe("rub")
    expect(currencyFromNumericCode(392)).toBeNull()
  })

  it("accepts upper case and refuses what PaySys does not take", () => {
    expect(toPaysysCurrency("UZS")).toBe("uzs")
    expect(() => toPaysysCurrency("gbp")).toThrow(/currency "gbp".*uzs, usd, eur, rub/)
  })

  it.each([
    ["99999", "uzs", /at least 1000 UZS/], // 999.99 sum
    ["7500000001", "uzs", /at most 75000000 UZS/],
    ["99", "usd", /at least 1 USD/],
    ["500001", "usd", /at most 5000 USD/],
    ["500001", "eur", /at most 5000 EUR/],
    ["99", "rub", /at least 1 RUB/],
  ])("refuses %s %s before any call", (minor, currency, message) => {
    expect(() => assertPaymentAmountWithinLimits(minor, toPaysysCurrency(currency))).toThrow(message)
  })

  it.each([
    ["100000", "uzs"],
    ["7500000000", "uzs"],
    ["100", "usd"],
    ["500000", "usd"],
    ["100", "eur"],
    ["99999999999999", "rub"], // no maximum
  ])("accepts %s %s at the limits", (minor, currency) => {
    expect(() => assertPaymentAmountWithinLimits(minor, toPaysysCurrency(currency))).not.toThrow()
  })
})
