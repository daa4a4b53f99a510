import { RateLimiterRes } from "rate-limiter-flexible"
import { cardLimitsSchema } from "../card-options"
import { cardFingerprint, cardFingerprintKey } from "../card-fingerprint"
import { declinePenalty, retryAfterSeconds } from "../card-velocity"

describe("card fingerprints", () => {
  const key = cardFingerprintKey("sandbox-secret:sandbox-service")

  it("are the same for one card number however it is typed, and differ between cards", () => {
    expect(cardFingerprint(key, "4111 1111 1111 1111")).toBe(cardFingerprint(key, "4111-1111-1111-1111"))
    expect(cardFingerprint(key, "4111111111111111")).not.toBe(cardFingerprint(key, "5555555555554444"))
  })

  it("depend on the plugin's secret and never hold the number", () => {
    const other = cardFingerprintKey("another-secret:sandbox-service")
    const fingerprint = cardFingerprint(key, "4111111111111111")
    expect(cardFingerprint(other, "4111111111111111")).not.toBe(fingerprint)
    expect(fingerprint).not.toMatch(/4111|1111/)
    expect(fingerprint).toMatch(/^[\w-]{43}$/)
  })
})

describe("the cost of a decline", () => {
  it("is declineCost points in all: the attempt's own point and a penalty", () => {
    const limits = cardLimitsSchema.parse({})
    expect(limits.declineCost).toBe(2)
    expect(declinePenalty(limits)).toBe(1)
    expect(declinePenalty({ declineCost: 5 })).toBe(4)
    expect(declinePenalty({ declineCost: 1 })).toBe(0)
  })

  it("stops a card tester sooner than a shopper: per session, 5 posts that succeed, 3 that are declined", () => {
    const { points } = cardLimitsSchema.parse({}).paymentsPerSession
    const postsBeforeRefusal = (cost: number) => {
      let consumed = 0
      let posts = 0
      while (consumed + 1 <= points) {
        consumed += cost
        posts++
      }
      return posts
    }
    expect(postsBeforeRefusal(1)).toBe(5)
    expect(postsBeforeRefusal(1 + declinePenalty(cardLimitsSchema.parse({})))).toBe(3)
  })
})

describe("Retry-After", () => {
  it("is the longest wait of the limits that refused, in whole seconds, at least 1", () => {
    const refusal = (ms: number) => new RateLimiterRes(0, ms, 10, false)
    expect(retryAfterSeconds([refusal(1200), refusal(59_001)])).toBe(60)
    expect(retryAfterSeconds([refusal(0)])).toBe(1)
  })
})
