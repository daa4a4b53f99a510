import { randomBytes } from "node:crypto"

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

/**
 * A notification's id, `psnot_` and a ULID, as Medusa's generateEntityId makes them. Made here
 * because the ulid package draws one crypto.randomBytes call per character: for a burst of
 * callbacks that was about 6% of the server's CPU per answer; this draws one per id.
 */
export function notificationId(now = Date.now()): string {
  let time = ""
  for (let rest = now, i = 0; i < 10; i++, rest = Math.floor(rest / 32)) {
    time = CROCKFORD[rest % 32] + time
  }
  // 80 random bits as 16 characters of 5 bits each
  let random = ""
  let bits = 0
  let value = 0
  for (const byte of randomBytes(10)) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      bits -= 5
      random += CROCKFORD[(value >> bits) & 31]
    }
    value &= (1 << bits) - 1
  }
  return `psnot_${time}${random}`
}
