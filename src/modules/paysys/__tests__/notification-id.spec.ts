import { generateEntityId } from "@medusajs/framework/utils"
import { notificationId } from "../notification-id"

describe("notification ids", () => {
  it("are psnot_ and a ULID, as generateEntityId makes them", () => {
    const id = notificationId()
    expect(id).toMatch(/^psnot_[0-9A-HJKMNP-TV-Z]{26}$/)
    expect(id).toHaveLength(generateEntityId(undefined, "psnot").length)
  })

  it("encode the time as a ULID does, so they sort by it", () => {
    // the ULID specification's example: ulid(1469918176385) is 01ARYZ6S41TSV4RRFFQ69G5FAV
    expect(notificationId(1469918176385).slice(6, 16)).toBe("01ARYZ6S41")
    expect(notificationId(0).slice(6, 16)).toBe("0000000000")
    expect(notificationId(2 ** 48 - 1).slice(6, 16)).toBe("7ZZZZZZZZZ")
    expect(notificationId(1469918176385) < notificationId(1469918176386)).toBe(true)
  })

  it("differ in their random part", () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => notificationId(1_700_000_000_000)))
    expect(ids.size).toBe(10_000)
  })
})
