import { redactCardNumbers } from "./card-data"

/**
 * Errors of the PaySys client. None of them ever carries card data, tokens or secrets:
 * messages are built from PaySys's answer, the method name and the request tracker (mx_id).
 */

/** PaySys answered with `error: {code, message}`: the call reached PaySys and was refused. */
export class PaysysError extends Error {
  readonly name = "PaysysError"
  constructor(
    readonly method: string,
    readonly code: number,
    readonly paysysMessage: string,
    readonly mxId: string | null
  ) {
    super(`PaySys ${method} failed: ${paysysMessage} (code ${code}${mxId ? `, mx_id ${mxId}` : ""})`)
    this.paysysMessage = redactCardNumbers(paysysMessage)
    this.message = redactCardNumbers(this.message)
  }
}

export type PaysysTransportFailure =
  | "connection_refused" // nothing was sent
  | "timeout"
  | "connection_reset"
  | "http_status" // a non-2xx answer, typically 5xx from a proxy
  | "invalid_response" // not JSON, or JSON not shaped as PaySys answers

/** The call did not get a usable PaySys answer. */
export class PaysysTransportError extends Error {
  readonly name = "PaysysTransportError"
  /** False only when we know the request never left: safe to send again. */
  readonly mayHaveReachedPaysys: boolean
  constructor(
    readonly method: string,
    readonly failure: PaysysTransportFailure,
    detail: string,
    readonly mxId: string | null = null,
    readonly httpStatus: number | null = null
  ) {
    super(`PaySys ${method} did not answer usably: ${failure} (${detail})${mxId ? `, mx_id ${mxId}` : ""}`)
    this.mayHaveReachedPaysys = failure !== "connection_refused"
  }
}

/**
 * PaySys answered HTTP 429: over its request limit (documented as 100 a minute by default).
 * The request was not carried out, so a write may be sent again once `retryAfterMs` has passed
 * (its `Retry-After`, or a default when PaySys gave none).
 */
export class PaysysRateLimitedError extends Error {
  readonly name = "PaysysRateLimitedError"
  readonly mayHaveReachedPaysys = false
  /** the wait in whole seconds, at least one (what a shopper or a Retry-After header is told) */
  readonly retryAfterSeconds: number
  constructor(
    readonly method: string,
    readonly retryAfterMs: number,
    readonly mxId: string | null = null
  ) {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000))
    super(
      `PaySys ${method} refused: over PaySys's request limit (HTTP 429), retry after ${seconds} s${mxId ? `, mx_id ${mxId}` : ""}`
    )
    this.retryAfterSeconds = seconds
  }
}

/** A value was refused before any call: it names the field. */
export class PaysysValidationError extends Error {
  readonly name = "PaysysValidationError"
  constructor(
    readonly field: string,
    message: string
  ) {
    super(message)
  }
}

/**
 * PaySys's answer to check_payment for a partner_trans_id it never received. The documentation
 * lists no error codes: this is our assumption (the sandbox answers it), the default of the
 * option `transactionNotFoundCodes`. Only these codes mean "PaySys does not have it"; any other
 * error is retried later.
 */
export const TRANSACTION_NOT_FOUND_CODES: readonly number[] = [-31004]

export function isTransactionNotFound(error: unknown, codes: readonly number[] = TRANSACTION_NOT_FOUND_CODES): boolean {
  return error instanceof PaysysError && codes.includes(error.code)
}
