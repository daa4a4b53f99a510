export type PaysysLogger = {
  debug(message: string): void
  warn(message: string): void
}

export type PaysysClientOptions = {
  /** `https://paysys.uz/gateway`, or the sandbox's `/gateway` */
  gatewayUrl: string
  serviceId: string
  secretKey: string
  /** per request, connect to last byte */
  timeoutMs?: number
  /** extra attempts for read-only calls (check_payment) after a transport failure */
  readRetries?: number
  retryDelayMs?: number
  /**
   * A read answered HTTP 429 is asked again after its Retry-After only when that is at most this
   * long (and within readRetries); a longer wait is the caller's to schedule.
   */
  rateLimitMaxWaitMs?: number
  /** PaySys's error codes for "no such transaction" (check_payment) */
  transactionNotFoundCodes?: readonly number[]
  logger?: PaysysLogger
}

/** How long a read answered 429 may wait in the client before it is asked again. */
export const DEFAULT_RATE_LIMIT_MAX_WAIT_MS = 5_000
