import type { Money } from "../paysys-order-panel-types"
import { iso, majorMoney, money, toMajor, toMinor } from "../paysys-order-panel-values"

describe("the order panel's amounts and times", () => {
  const minorCases: [string | null | undefined, string, Money][] = [
    ["1139000", "uzs", { amount: "1139000", amount_major: "11390", currency: "uzs" }],
    ["1050", "usd", { amount: "1050", amount_major: "10.5", currency: "usd" }],
    ["700", "gbp", { amount: "700", amount_major: "700", currency: "gbp" }],
    [null, "uzs", { amount: null, amount_major: null, currency: "uzs" }],
    [undefined, "uzs", { amount: null, amount_major: null, currency: "uzs" }],
  ]
  it.each(minorCases)("money(%p, %p): minor units with their major units", (minor, currency, expected) => {
    expect(money(minor, currency)).toEqual(expected)
  })

  const majorCases: [unknown, string, Money][] = [
    [11390, "uzs", { amount: "1139000", amount_major: "11390", currency: "uzs" }],
    ["10.5", "usd", { amount: "1050", amount_major: "10.5", currency: "usd" }],
    [{ value: "2.675" }, "usd", { amount: "268", amount_major: "2.675", currency: "usd" }],
    [7, "gbp", { amount: "7", amount_major: "7", currency: "gbp" }],
    [null, "uzs", { amount: null, amount_major: null, currency: "uzs" }],
    [{ value: null }, "uzs", { amount: null, amount_major: null, currency: "uzs" }],
    ["not an amount", "uzs", { amount: null, amount_major: null, currency: "uzs" }],
    [Infinity, "uzs", { amount: null, amount_major: null, currency: "uzs" }],
  ]
  it.each(majorCases)("majorMoney(%p, %p): major units with their minor units", (major, currency, expected) => {
    expect(majorMoney(major, currency)).toEqual(expected)
  })

  const conversions: [string, string, string, string][] = [
    // minor, currency, major, and back to minor; a currency PaySys does not take is left as it is
    ["1139000", "uzs", "11390", "1139000"],
    ["1", "usd", "0.01", "1"],
    ["0", "usd", "0", "0"],
    ["42", "gbp", "42", "42"],
  ]
  it.each(conversions)("%p %s is %p major units, and back", (minor, currency, major, back) => {
    expect(toMajor(minor, currency)).toBe(major)
    expect(toMinor(major, currency)).toBe(back)
  })

  it("takes an unreadable major amount as zero", () => {
    expect(toMinor(undefined, "uzs")).toBe("0")
    expect(toMinor("abc", "gbp")).toBe("0")
  })

  const times: [string | Date | null | undefined, string | null][] = [
    [new Date("2026-12-07T10:00:00Z"), "2026-12-07T10:00:00.000Z"],
    ["2026-12-07T15:00:00+05:00", "2026-12-07T10:00:00.000Z"],
    ["not a time", null],
    ["", null],
    [null, null],
    [undefined, null],
  ]
  it.each(times)("iso(%p) is %p", (value, expected) => {
    expect(iso(value)).toBe(expected)
  })
})
