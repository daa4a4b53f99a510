import { createHash } from "node:crypto"
import { isAuthHashValid, parseAuthHeader, signAuthHeader } from ".."

describe("Auth header", () => {
  it("is service_id-sha1(secret_key + timestamp_ms)-timestamp_ms", () => {
    const header = signAuthHeader("100381", "s3cret", 1656407767123)
    const hash = createHash("sha1").update("s3cret1656407767123").digest("hex")
    expect(header).toBe(`100381-${hash}-1656407767123`)
  })

  it("parses back, even when the service id has a dash, and verifies", () => {
    const parsed = parseAuthHeader(signAuthHeader("shop-1", "s3cret", 1700000000000))
    expect(parsed).toEqual({ serviceId: "shop-1", hash: expect.any(String), timestampMs: 1700000000000 })
    expect(isAuthHashValid(parsed!, "s3cret")).toBe(true)
    expect(isAuthHashValid(parsed!, "other")).toBe(false)
    expect(parseAuthHeader("garbage")).toBeNull()
  })
})
