import { createCipheriv, randomBytes } from "node:crypto"
import { parseKey, TokenCipher } from "../token-cipher"

describe("card token encryption", () => {
  const key = "ZGV2ZWxvcG1lbnQtb25seS1wYXlzeXMtY2FyZC1rZXk="
  const cipher = new TokenCipher(key)
  const card = "pscard_01OWNER"
  const parts = (sealed: string) => sealed.split(".")

  it("round-trips, with a fresh IV each time, in the current format", () => {
    const token = "0b6227c70d365255176cb6c3b9b6cccfd3aa17b0"
    const a = cipher.encrypt(token, card)
    const b = cipher.encrypt(token, card)
    expect(a).not.toBe(b)
    expect(a).not.toContain(token)
    expect(a).toMatch(/^v2\./)
    expect(cipher.isCurrent(a)).toBe(true)
    expect(cipher.decrypt(a, card)).toBe(token)
  })

  it("refuses a tampered value or another key", () => {
    const sealed = cipher.encrypt("token", card)
    const [version, iv, tag, data] = parts(sealed)
    const flipped = Buffer.from(data, "base64url")
    flipped[0] ^= 1
    expect(() => cipher.decrypt([version, iv, tag, flipped.toString("base64url")].join("."), card)).toThrow()
    expect(() => new TokenCipher("b".repeat(64)).decrypt(sealed, card)).toThrow()
    expect(() => new TokenCipher("too short")).toThrow(/32 bytes/)
  })

  it("refuses a shortened authentication tag (a 4-byte tag is easy to forge)", () => {
    const [version, iv, tag, data] = parts(cipher.encrypt("token", card))
    const short = Buffer.from(tag, "base64url").subarray(0, 4).toString("base64url")
    expect(() => cipher.decrypt([version, iv, short, data].join("."), card)).toThrow(/16 bytes/)
  })

  it("refuses a token moved to another saved card's row", () => {
    const sealed = cipher.encrypt("token", card)
    expect(() => cipher.decrypt(sealed, "pscard_01ATTACKER")).toThrow()
  })

  it("reads a token written by the previous version (v1: no associated data), which is not current", () => {
    // v1 as the previous version wrote it: AES-256-GCM, 12-byte IV, default 16-byte tag, no AAD
    const iv = randomBytes(12)
    const old = createCipheriv("aes-256-gcm", parseKey(key), iv)
    const encrypted = Buffer.concat([old.update("legacy-token", "utf8"), old.final()])
    const sealed = [
      "v1",
      iv.toString("base64url"),
      old.getAuthTag().toString("base64url"),
      encrypted.toString("base64url"),
    ].join(".")
    expect(cipher.decrypt(sealed, card)).toBe("legacy-token")
    expect(cipher.isCurrent(sealed)).toBe(false)
    const [, , tag, data] = parts(sealed)
    const short = Buffer.from(tag, "base64url").subarray(0, 4).toString("base64url")
    expect(() => cipher.decrypt(["v1", iv.toString("base64url"), short, data].join("."), card)).toThrow(/16 bytes/)
  })

  it("refuses an unknown format", () => {
    expect(() => cipher.decrypt("v9.a.b.c", card)).toThrow(/not a token/)
    expect(() => cipher.decrypt(`${cipher.encrypt("token", card)}.extra`, card)).toThrow(/not a token/)
  })
})
