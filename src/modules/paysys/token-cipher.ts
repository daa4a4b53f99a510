import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto"

const VERSION = "v1"

/**
 * AES-256-GCM for card tokens at rest. The key is 32 bytes, given as 64 hex characters or
 * as base64. Each value carries its own random IV and authentication tag.
 */
export class TokenCipher {
  private readonly key: Buffer

  constructor(key: string) {
    this.key = parseKey(key)
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12)
    const cipher = createCipheriv("aes-256-gcm", this.key, iv)
    const encrypted = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()])
    return [VERSION, iv, cipher.getAuthTag(), encrypted].map((part) => (typeof part === "string" ? part : part.toString("base64url"))).join(".")
  }

  decrypt(value: string): string {
    const [version, iv, tag, encrypted] = value.split(".")
    if (version !== VERSION || !iv || !tag || !encrypted) {
      throw new Error("not a token encrypted by this plugin")
    }
    const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(iv, "base64url"))
    decipher.setAuthTag(Buffer.from(tag, "base64url"))
    return Buffer.concat([decipher.update(Buffer.from(encrypted, "base64url")), decipher.final()]).toString("utf8")
  }
}

/** 32 bytes from 64 hex characters or base64; anything else is refused. */
export function parseKey(key: string): Buffer {
  const bytes = /^[0-9a-f]{64}$/i.test(key) ? Buffer.from(key, "hex") : Buffer.from(key, "base64")
  if (bytes.length !== 32) {
    throw new Error("must be 32 bytes: 64 hex characters or base64 (openssl rand -base64 32)")
  }
  return bytes
}
