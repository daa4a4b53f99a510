import { isAllowedRedirectUrl } from "../redirect-url"

describe("isAllowedRedirectUrl", () => {
  it("a regular expression entry must match the whole origin", () => {
    const allowed = ["/https:\\/\\/shop\\.example\\.com/"]
    expect(isAllowedRedirectUrl("https://shop.example.com/paysys/return", allowed, "")).toBe(true)
    expect(isAllowedRedirectUrl("https://shop.example.com.attacker.net/paysys/return", allowed, "")).toBe(false)
    expect(isAllowedRedirectUrl("https://xhttps://shop.example.com", allowed, "")).toBe(false)
    expect(isAllowedRedirectUrl("http://attacker.net/?https://shop.example.com", allowed, "")).toBe(false)
  })

  it("an expression without the scheme matches no origin any more; one with it matches exactly", () => {
    expect(isAllowedRedirectUrl("https://shop.example.com.attacker.net/", ["/shop\\.example\\.com/"], "")).toBe(false)
    expect(
      isAllowedRedirectUrl("https://shop.example.com/", ["/https?:\\/\\/(www\\.)?shop\\.example\\.com/"], "")
    ).toBe(true)
    expect(
      isAllowedRedirectUrl("https://www.shop.example.com/", ["/https?:\\/\\/(www\\.)?shop\\.example\\.com/"], "")
    ).toBe(true)
  })

  it("an alternation is anchored as a whole", () => {
    const allowed = ["/https:\\/\\/a\\.example\\.com|https:\\/\\/b\\.example\\.com/"]
    expect(isAllowedRedirectUrl("https://b.example.com/x", allowed, "")).toBe(true)
    expect(isAllowedRedirectUrl("https://a.example.com.attacker.net/x", allowed, "")).toBe(false)
    expect(isAllowedRedirectUrl("https://xhttps://b.example.com/x", allowed, "")).toBe(false)
  })

  it("plain origins and the store CORS fallback are compared exactly", () => {
    expect(isAllowedRedirectUrl("http://localhost:8000/r", [], "http://localhost:8000/, http://localhost:9000")).toBe(
      true
    )
    expect(isAllowedRedirectUrl("http://localhost:8001/r", [], "http://localhost:8000")).toBe(false)
  })
})
