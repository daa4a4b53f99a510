import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto"

/** The format written now: AES-256-GCM with the saved card's id as associated data. */
const VERSION = "v2"
/**
 * The format written before: no associated data. Still read, so that cards saved before keep
 * working; the saved-card store rewrites such a token as v2 the first time it reads it.
 */
const VERSION_WITHOUT_AAD = "v1"
const IV_BYTES = 12
/** GCM's full tag: without it, Node also accepts a tag cut down to 4 bytes, far easier to forge */
const TAG_BYTES = 16

/**
 * AES-256-GCM for card tokens at rest. The key is 32 bytes, given as 64 hex characters or
 * as base64. A value is "version.iv.tag.ciphertext" (base64url parts); each carries its own
 * random IV and a 16-byte authentication tag. The associated data is the saved card's row id:
 * a token copied into another customer's row does not decrypt there.
 */
export class TokenCipher {
  private readonly key: Buffer

  constructor(key: string) {
    this.key = parseKey(key)
  }

  encrypt(plain: string, savedCardId: string): string {
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv("aes-256-gcm", this.key, iv, { authTagLength: TAG_BYTES })
    cipher.setAAD(Buffer.from(savedCardId, "utf8"))
    const encrypted = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()])
    return [VERSION, ...[iv, cipher.getAuthTag(), encrypted].map((part) => part.toString("base64url"))].join(".")
  }

  decrypt(value: string, savedCardId: string): string {
    const [version, iv, tag, encrypted, extra] = value.split(".")
    if ((version !== VERSION && version !== VERSION_WITHOUT_AAD) || !iv || !tag || !encrypted || extra !== undefined) {
      throw new Error("not a token encrypted by this plugin")
    }
    const authTag = Buffer.from(tag, "base64url")
    if (authTag.length !== TAG_BYTES) {
      throw new Error(`a token's authentication tag must be ${TAG_BYTES} bytes`)
    }
    const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(iv, "base64url"), {
      authTagLength: TAG_BYTES,
    })
    if (version === VERSION) {
      decipher.setAAD(Buffer.from(savedCardId, "utf8"))
    }
    decipher.setAuthTag(authTag)
    return Buffer.concat([decipher.update(Buffer.from(encrypted, "base64url")), decipher.final()]).toString("utf8")
  }

  /** Whether a value is in the format written now (else the store rewrites it). */
  isCurrent(value: string): boolean {
    return value.startsWith(`${VERSION}.`)
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
