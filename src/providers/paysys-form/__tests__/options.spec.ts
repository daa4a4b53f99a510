import { DEFAULT_FORM_PROTOCOL_OPTIONS } from "../../../paysys-form"
import { parsePaysysFormOptions } from "../../../modules/paysys/form-options"

const valid = { vendorId: "101234", secretKey: "form-secret" }

describe("the hosted form's options", () => {
  it("default every protocol option to assumptions.ts", () => {
    const parsed = parsePaysysFormOptions(valid)
    for (const [name, value] of Object.entries(DEFAULT_FORM_PROTOCOL_OPTIONS)) {
      expect([name, parsed[name as keyof typeof parsed]]).toEqual([name, value])
    }
    expect(parsed).toMatchObject({
      signTimeMaxSkewMs: 600_000,
      amountLimits: {},
      useWidget: false,
      callbackIpAllowList: [],
    })
  })

  it("take the new options as values or as env strings", () => {
    const values = parsePaysysFormOptions({
      ...valid,
      signTimeMaxSkewMs: 300_000,
      amountLimits: { uzs: { min: 1000, max: 50_000_000 }, usd: { max: 5000 } },
      useWidget: true,
      callbackIpAllowList: ["203.0.113.7", "198.51.100.0/24", "2001:db8::/32"],
    })
    const env = parsePaysysFormOptions({
      ...valid,
      signTimeMaxSkewMs: "300000",
      amountLimits: '{"uzs":{"min":1000,"max":50000000},"usd":{"max":5000}}',
      useWidget: "true",
      callbackIpAllowList: "203.0.113.7, 198.51.100.0/24,2001:db8::/32",
    })
    expect(env).toEqual(values)
    expect(values).toMatchObject({
      signTimeMaxSkewMs: 300_000,
      amountLimits: { uzs: { min: 1000, max: 50_000_000 }, usd: { max: 5000 } },
      useWidget: true,
      callbackIpAllowList: ["203.0.113.7", "198.51.100.0/24", "2001:db8::/32"],
    })
    expect(parsePaysysFormOptions({ ...valid, signTimeMaxSkewMs: null }).signTimeMaxSkewMs).toBeNull()
  })

  it.each([
    [{ signTimeMaxSkewMs: 5 }, /`signTimeMaxSkewMs` Too small/],
    [{ amountLimits: "{not json" }, /`amountLimits` must be an object, or its JSON/],
    [{ amountLimits: { eur: { max: 1 } } }, /`amountLimits.eur`/],
    [{ amountLimits: { uzs: { min: 5000, max: 1000 } } }, /`amountLimits.uzs` min must not exceed max/],
    [{ amountLimits: { usd: { max: 10.5 } } }, /`amountLimits.usd.max` must be a whole number/],
    [{ useWidget: "perhaps" }, /`useWidget` must be true or false/],
    [
      { callbackIpAllowList: ["203.0.113.7", "paysys.uz"] },
      /`callbackIpAllowList.1` must be an IP address or a CIDR range/,
    ],
    [{ callbackIpAllowList: "10.0.0.0/33" }, /`callbackIpAllowList.0` must be an IP address or a CIDR range/],
  ])("refuse %j naming the option", (bad, message) => {
    expect(() => parsePaysysFormOptions({ ...valid, ...bad })).toThrow(message)
  })
})
