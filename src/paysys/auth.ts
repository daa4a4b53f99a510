import { createHash, timingSafeEqual } from "node:crypto"

/**
 * PaySys signs nothing in the body: every request carries
 * `Auth: <service_id>-<sha1_hex(secret_key + timestamp_ms)>-<timestamp_ms>`.
 * The documented unit is milliseconds (some public integrations send seconds).
 */
export function signAuthHeader(serviceId: string, secretKey: string, timestampMs: number = Date.now()): string {
  return `${serviceId}-${authHash(secretKey, timestampMs)}-${timestampMs}`
}

export type ParsedAuthHeader = {
  serviceId: string
  hash: string
  timestampMs: number
}

/** Splits from the right, so a service id containing "-" still parses. */
export function parseAuthHeader(header: string | undefined): ParsedAuthHeader | null {
  const match = /^(.+)-([0-9a-f]{40})-(\d{10,16})$/i.exec(header ?? "")
  if (!match) {
    return null
  }
  return { serviceId: match[1], hash: match[2].toLowerCase(), timestampMs: Number(match[3]) }
}

/** Constant-time check of a parsed header against the merchant's secret. */
export function isAuthHashValid(parsed: ParsedAuthHeader, secretKey: string): boolean {
  const expected = Buffer.from(authHash(secretKey, parsed.timestampMs))
  const given = Buffer.from(parsed.hash)
  return expected.length === given.length && timingSafeEqual(expected, given)
}

function authHash(secretKey: string, timestampMs: number): string {
  return createHash("sha1").update(`${secretKey}${timestampMs}`).digest("hex")
}
