import { createHmac, hkdfSync } from "node:crypto"

/**
 * The key of card fingerprints, derived from the plugin's PaySys secret: a fingerprint means
 * nothing without it, and it changes when the secret does.
 */
export function cardFingerprintKey(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "medusa-payment-paysys", "card fingerprint", 32))
}

/**
 * A card's fingerprint for counting its attempts: HMAC-SHA256 of its digits. Only the number:
 * a card tester varies expiry and CVC. Kept only as a rate-limit key, never with the card.
 */
export function cardFingerprint(key: Buffer, cardNumber: string): string {
  return createHmac("sha256", key).update(cardNumber.replace(/\D/g, "")).digest("base64url")
}
