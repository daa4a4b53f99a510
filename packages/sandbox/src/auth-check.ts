import { isAuthHashValid, parseAuthHeader } from "../../../src/paysys/auth"
import { sandboxError } from "./errors"

export type AuthConfig = { serviceId: string; secretKey: string; toleranceMs: number }

/**
 * Checks the `Auth: <service_id>-<sha1(secret_key + timestamp_ms)>-<timestamp_ms>` header of a
 * gateway call; throws the table's AUTH_* error. The timestamp is compared with real time
 * (not the sandbox clock, which tests move forward).
 */
export function verifyAuthHeader(header: string | undefined, config: AuthConfig, nowMs: number = Date.now()): void {
  const parsed = parseAuthHeader(header)
  if (!parsed) {
    throw sandboxError("AUTH_MALFORMED")
  }
  if (parsed.serviceId !== config.serviceId) {
    throw sandboxError("AUTH_UNKNOWN_SERVICE")
  }
  if (!isAuthHashValid(parsed, config.secretKey)) {
    throw sandboxError("AUTH_BAD_HASH")
  }
  const skew = Math.abs(nowMs - parsed.timestampMs)
  if (skew > config.toleranceMs) {
    const hint = parsed.timestampMs < 1e12 ? "; it looks like seconds, PaySys expects milliseconds" : ""
    throw sandboxError("AUTH_STALE_TIMESTAMP", `off by ${skew} ms, at most ${config.toleranceMs} ms accepted${hint}`)
  }
}
