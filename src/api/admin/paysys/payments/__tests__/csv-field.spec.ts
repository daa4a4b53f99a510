import { csvField } from "../csv-field"

describe("csvField", () => {
  it("writes plain values as they are and nothing for none", () => {
    expect(csvField("payses_01ABC-1")).toBe("payses_01ABC-1")
    expect(csvField("375000.5")).toBe("375000.5")
    expect(csvField(null)).toBe("")
  })

  it("quotes commas, quotes and line breaks (RFC 4180), and doubles quotes", () => {
    expect(csvField("a,b")).toBe('"a,b"')
    expect(csvField('say "paid"')).toBe('"say ""paid"""')
    expect(csvField("two\r\nlines")).toBe('"two\r\nlines"')
  })
})
