import { parsePaysysOptions } from "../../../modules/paysys/card-options"

const valid = {
  serviceId: 100381,
  secretKey: "s3cret",
  vendorId: "100381",
  vendorMethod: "shop",
  vendorSecretKey: "notify-secret",
}

describe("plugin options", () => {
  it("fills defaults and accepts numbers where PaySys issues numbers", () => {
    expect(parsePaysysOptions(valid)).toMatchObject({
      serviceId: "100381",
      gatewayUrl: "https://paysys.uz/gateway",
      timeoutMs: 15_000,
      readRetries: 2,
      refundByCancel: true,
      reconcileAfterSeconds: 120,
    })
  })

  it("names every missing or bad option in one error, at boot", () => {
    expect(() =>
      parsePaysysOptions({ ...valid, secretKey: "", vendorSecretKey: undefined, gatewayUrl: "not a url", timeoutMs: 5 })
    ).toThrow(
      /`secretKey` is required.*`gatewayUrl` must be a URL.*`vendorSecretKey` is required.*`timeoutMs` Too small/
    )
    expect(() => parsePaysysOptions(undefined)).toThrow(
      /`serviceId`.*`secretKey`.*`vendorId`.*`vendorMethod`.*`vendorSecretKey`/
    )
  })

  it("takes env strings for numbers, and checks the card token key", () => {
    expect(parsePaysysOptions({ ...valid, timeoutMs: "3000", reconcileAfterSeconds: "1" })).toMatchObject({
      timeoutMs: 3000,
      reconcileAfterSeconds: 1,
    })
    expect(() => parsePaysysOptions({ ...valid, cardTokenKey: "short" })).toThrow(/`cardTokenKey` must be 32 bytes/)
    expect(parsePaysysOptions({ ...valid, cardTokenKey: "a".repeat(64) }).cardTokenKey).toHaveLength(64)
  })

  it("takes PaySys's not-found codes and the longest in-client wait after a 429, as lists or env strings", () => {
    expect(parsePaysysOptions(valid)).toMatchObject({ transactionNotFoundCodes: [-31004], rateLimitMaxWaitMs: 5000 })
    expect(
      parsePaysysOptions({ ...valid, transactionNotFoundCodes: "-31004, -31050", rateLimitMaxWaitMs: "0" })
    ).toMatchObject({
      transactionNotFoundCodes: [-31004, -31050],
      rateLimitMaxWaitMs: 0,
    })
    expect(parsePaysysOptions({ ...valid, transactionNotFoundCodes: [-1] }).transactionNotFoundCodes).toEqual([-1])
    expect(() => parsePaysysOptions({ ...valid, transactionNotFoundCodes: "-31004,x" })).toThrow(
      /`transactionNotFoundCodes\.1`/
    )
    expect(() => parsePaysysOptions({ ...valid, transactionNotFoundCodes: [] })).toThrow(/`transactionNotFoundCodes`/)
    expect(() => parsePaysysOptions({ ...valid, rateLimitMaxWaitMs: 120_000 })).toThrow(/`rateLimitMaxWaitMs`/)
  })

  it("counts the PaySys page's days in Tashkent time by default; takes another IANA time zone", () => {
    expect(parsePaysysOptions(valid).reportTimeZone).toBe("Asia/Tashkent")
    expect(parsePaysysOptions({ ...valid, reportTimeZone: "UTC" }).reportTimeZone).toBe("UTC")
    expect(() => parsePaysysOptions({ ...valid, reportTimeZone: "Tashkent" })).toThrow(
      /`reportTimeZone` must be an IANA time zone/
    )
  })

  it("trusts no proxy by default; takes addresses, CIDR ranges and proxy-addr's words, as a list or comma-separated", () => {
    expect(parsePaysysOptions(valid).trustedProxies).toEqual([])
    expect(parsePaysysOptions({ ...valid, trustedProxies: "loopback, 10.0.0.0/8,2001:db8::1" }).trustedProxies).toEqual(
      ["loopback", "10.0.0.0/8", "2001:db8::1"]
    )
    expect(parsePaysysOptions({ ...valid, trustedProxies: ["uniquelocal", "linklocal"] }).trustedProxies).toEqual([
      "uniquelocal",
      "linklocal",
    ])
    expect(() => parsePaysysOptions({ ...valid, trustedProxies: "my-load-balancer" })).toThrow(
      /`trustedProxies.0` must be an IP address, a CIDR range, or loopback/
    )
    expect(() => parsePaysysOptions({ ...valid, trustedProxies: ["10.0.0.0/33"] })).toThrow(/`trustedProxies.0`/)
  })

  it("turns the card-testing defences on by default, with limits a store can live with; a CAPTCHA only when configured", () => {
    const options = parsePaysysOptions(valid)
    expect(options.limits).toMatchObject({
      enabled: true,
      paymentsPerIp: { points: 10, seconds: 600 },
      paymentsPerSession: { points: 5, seconds: 3600 },
      paymentsPerCard: { points: 3, seconds: 3600 },
      paymentsPerCustomer: { points: 10, seconds: 3600 },
      registrationsPerCustomer: { points: 5, seconds: 86_400 },
      declineCost: 2,
    })
    expect(options).toMatchObject({ detailedDeclines: false, pendingCardTtlSeconds: 3600 })
    expect(options.captcha).toBeUndefined()
    // one limit changed keeps the others' defaults
    expect(
      parsePaysysOptions({ ...valid, limits: { paymentsPerIp: { points: "20", seconds: 60 } } }).limits
    ).toMatchObject({
      paymentsPerIp: { points: 20, seconds: 60 },
      paymentsPerSession: { points: 5, seconds: 3600 },
    })
    expect(parsePaysysOptions({ ...valid, limits: { enabled: false } }).limits.enabled).toBe(false)
    expect(
      parsePaysysOptions({
        ...valid,
        captcha: { verifyUrl: "https://challenges.cloudflare.com/turnstile/v0/siteverify", secret: "x" },
      }).captcha
    ).toMatchObject({ afterDeclines: 3, declinesWindowSeconds: 3600 })
    expect(() => parsePaysysOptions({ ...valid, captcha: { verifyUrl: "nope" } })).toThrow(
      /`captcha.verifyUrl` must be a URL.*`captcha.secret`/
    )
  })
})
