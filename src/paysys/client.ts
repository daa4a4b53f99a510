import axios, { AxiosError, AxiosInstance } from "axios"
import { randomUUID } from "node:crypto"
import http from "node:http"
import https from "node:https"
import { z } from "zod"
import { signAuthHeader } from "./auth"
import { assertPaymentAmountWithinLimits, toPaysysCurrency } from "./currencies"
import {
  isTransactionNotFound,
  PaysysError,
  PaysysRateLimitedError,
  PaysysTransportError,
  PaysysTransportFailure,
  PaysysValidationError,
  TRANSACTION_NOT_FOUND_CODES,
} from "./errors"
import * as schemas from "./schemas"

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
/**
 * The wait after a 429 without a readable Retry-After: PaySys's limit counts requests per
 * minute, so a minute is the one wait sure to be enough.
 */
export const DEFAULT_RETRY_AFTER_MS = 60_000

/** Every answer keeps PaySys's request tracker: support asks for it. */
export type WithMxId<T> = T & { mx_id: string | null }

type CallSpec<P extends z.ZodTypeAny, R extends z.ZodTypeAny> = {
  method: string
  params: P
  result: R
  /** safe to send again after a transport failure */
  readOnly?: boolean
}

const PREPARE_PAYMENT = {
  method: "paysys.prepare_payment",
  params: schemas.preparePaymentParams,
  result: schemas.preparePaymentResult,
}
const CHECK_PAYMENT = {
  method: "paysys.check_payment",
  params: schemas.checkPaymentParams,
  result: schemas.paymentStatusResult,
  readOnly: true,
}
const CARD_REGISTRATION = {
  method: "mir.card_registration",
  params: schemas.cardRegistrationParams,
  result: schemas.cardRegistrationResult,
}
const REMOVE_CARD_TOKEN = {
  method: "mir.remove_card_token",
  params: schemas.removeCardTokenParams,
  result: schemas.removeCardTokenResult,
}
const PAY_BY_ID = { method: "paysys.pay_by_id", params: schemas.payByIdParams, result: schemas.payByIdResult }
const CANCEL_PAYMENT = {
  method: "paysys.cancel_payment",
  params: schemas.cancelPaymentParams,
  result: schemas.paymentStatusResult,
}
const REFUND_PAYMENT = {
  method: "paysys.refund_payment",
  params: schemas.refundPaymentParams,
  result: schemas.paymentStatusResult,
}

/**
 * The PaySys host-to-host API, one typed method per documented call.
 * It knows nothing of Medusa. It never logs parameters (card data, tokens),
 * only the method, the outcome, the time taken and PaySys's mx_id.
 */
export class PaysysClient {
  private readonly http: AxiosInstance
  private readonly readRetries: number
  private readonly retryDelayMs: number
  private readonly rateLimitMaxWaitMs: number
  private readonly transactionNotFoundCodes: readonly number[]

  constructor(private readonly options: PaysysClientOptions) {
    this.readRetries = options.readRetries ?? 2
    this.retryDelayMs = options.retryDelayMs ?? 250
    this.rateLimitMaxWaitMs = options.rateLimitMaxWaitMs ?? DEFAULT_RATE_LIMIT_MAX_WAIT_MS
    this.transactionNotFoundCodes = options.transactionNotFoundCodes ?? TRANSACTION_NOT_FOUND_CODES
    this.http = axios.create({
      timeout: options.timeoutMs ?? 15_000,
      httpAgent: new http.Agent({ keepAlive: true }),
      httpsAgent: new https.Agent({ keepAlive: true }),
      // we classify statuses and parse JSON ourselves, to tell PaySys errors from transport ones
      validateStatus: () => true,
      responseType: "text",
      transformResponse: [(data) => data],
    })
  }

  /** Starts a card payment; the shopper must then pass 3-D Secure at `confirm_url`. */
  async preparePayment(params: schemas.PreparePaymentParams) {
    assertPaymentAmountWithinLimits(params.amount, toPaysysCurrency(params.currency))
    return this.call(PREPARE_PAYMENT, params)
  }

  /** Whether an error of checkPayment means PaySys never received that partner_trans_id. */
  isTransactionNotFound(error: unknown): boolean {
    return isTransactionNotFound(error, this.transactionNotFoundCodes)
  }

  /** The truth about a payment. Read-only, so retried on transport failures and short 429 waits. */
  checkPayment(params: schemas.CheckPaymentParams) {
    return this.call(CHECK_PAYMENT, params)
  }

  /** `mir.card_registration`: saves a card after 3-D Secure; the token comes by partner.notify. */
  registerCard(params: schemas.CardRegistrationParams) {
    return this.call(CARD_REGISTRATION, params)
  }

  removeCardToken(params: schemas.RemoveCardTokenParams) {
    return this.call(REMOVE_CARD_TOKEN, params)
  }

  /** Charges a saved card at once (no 3-D Secure). Never retried: confirm with checkPayment. */
  async payById(params: schemas.PayByIdParams, cardToken: string) {
    assertPaymentAmountWithinLimits(params.amount, toPaysysCurrency(params.currency))
    if (!cardToken) {
      throw new PaysysValidationError("card_token", "paysys.pay_by_id needs the card token")
    }
    return this.call(PAY_BY_ID, params, { "Card-Token": cardToken })
  }

  /** Reversal: once, within 7 days; no acquirer fee is kept. */
  cancelPayment(params: schemas.CancelPaymentParams) {
    return this.call(CANCEL_PAYMENT, params)
  }

  /** Partial or full refund; refunds may add up to the payment amount. */
  refundPayment(params: schemas.RefundPaymentParams) {
    return this.call(REFUND_PAYMENT, params)
  }

  private async call<P extends z.ZodTypeAny, R extends z.ZodTypeAny>(
    spec: CallSpec<P, R>,
    rawParams: z.input<P>,
    extraHeaders: Record<string, string> = {}
  ): Promise<WithMxId<z.output<R>>> {
    const params = parseParams(spec, rawParams)
    const attempts = spec.readOnly ? this.readRetries + 1 : 1
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.send(spec, params, extraHeaders)
      } catch (error) {
        const waitMs = attempt < attempts ? this.waitBeforeRetry(error, attempt) : null
        if (waitMs === null) {
          throw error
        }
        this.options.logger?.warn(`${(error as Error).message}; retrying (${attempt}/${attempts - 1}) in ${waitMs} ms`)
        await new Promise((resolve) => setTimeout(resolve, waitMs))
      }
    }
  }

  /** How long to wait before sending a read again, or null when it must not be sent again. */
  private waitBeforeRetry(error: unknown, attempt: number): number | null {
    if (error instanceof PaysysTransportError) {
      return this.retryDelayMs * attempt
    }
    if (error instanceof PaysysRateLimitedError && error.retryAfterMs <= this.rateLimitMaxWaitMs) {
      return error.retryAfterMs
    }
    return null
  }

  private async send<R extends z.ZodTypeAny>(
    spec: CallSpec<z.ZodTypeAny, R>,
    params: unknown,
    extraHeaders: Record<string, string>
  ): Promise<WithMxId<z.output<R>>> {
    const { method } = spec
    const startedAt = Date.now()
    const response = await this.http
      .post(
        this.options.gatewayUrl,
        { method, params, id: randomUUID() },
        {
          headers: {
            "Content-Type": "application/json",
            Auth: signAuthHeader(this.options.serviceId, this.options.secretKey),
            ...extraHeaders,
          },
        }
      )
      .catch((error: unknown) => {
        throw toTransportError(method, error)
      })

    if (response.status === 429) {
      // over PaySys's request limit: not carried out, whatever the body is
      const retryAfterMs = parseRetryAfter(response.headers["retry-after"])
      const mxId = mxIdOf(response.data)
      this.options.logger?.warn(
        `paysys ${method} rate limited (HTTP 429) in ${Date.now() - startedAt}ms, retry after ${retryAfterMs} ms (mx_id ${mxId})`
      )
      throw new PaysysRateLimitedError(method, retryAfterMs, mxId)
    }
    let body: unknown
    try {
      body = JSON.parse(response.data)
    } catch {
      const failure = response.status >= 200 && response.status < 300 ? "invalid_response" : "http_status"
      throw new PaysysTransportError(
        method,
        failure,
        `HTTP ${response.status}, body is not JSON`,
        null,
        response.status
      )
    }
    const envelope = schemas.envelope.safeParse(body)
    if (!envelope.success) {
      throw new PaysysTransportError(
        method,
        "invalid_response",
        "answer is not a PaySys envelope",
        null,
        response.status
      )
    }
    const mxId = envelope.data.mx_id ?? null
    if (envelope.data.error) {
      const { code, message } = envelope.data.error
      this.options.logger?.warn(
        `paysys ${method} refused in ${Date.now() - startedAt}ms: ${code} ${message} (mx_id ${mxId})`
      )
      throw new PaysysError(method, code, message, mxId)
    }
    if (response.status < 200 || response.status >= 300) {
      throw new PaysysTransportError(method, "http_status", `HTTP ${response.status}`, mxId, response.status)
    }
    const result = spec.result.safeParse(envelope.data.result)
    if (!result.success) {
      const field = result.error.issues[0]?.path.join(".") || "result"
      throw new PaysysTransportError(method, "invalid_response", `unexpected result.${field}`, mxId, response.status)
    }
    this.options.logger?.debug(`paysys ${method} ok in ${Date.now() - startedAt}ms (mx_id ${mxId})`)
    return { ...(result.data as object), mx_id: mxId } as WithMxId<z.output<R>>
  }
}

function parseParams(spec: CallSpec<z.ZodTypeAny, z.ZodTypeAny>, params: unknown) {
  const parsed = spec.params.safeParse(params)
  if (!parsed.success) {
    // the message names the field and the rule, never the value: values may be card data
    const issue = parsed.error.issues[0]
    const field = issue.path.join(".") || "params"
    throw new PaysysValidationError(field, `${spec.method}: ${field} ${issue.message}`)
  }
  return parsed.data
}

/**
 * Retry-After as milliseconds from now: delta-seconds ("120") or an HTTP date; absent or
 * unreadable, DEFAULT_RETRY_AFTER_MS. A date already past means at once.
 */
export function parseRetryAfter(header: unknown, now = Date.now()): number {
  const value = typeof header === "string" ? header.trim() : ""
  if (/^\d+$/.test(value)) {
    return Number(value) * 1000
  }
  const date = /[a-z]/i.test(value) ? Date.parse(value) : NaN
  return Number.isNaN(date) ? DEFAULT_RETRY_AFTER_MS : Math.max(0, date - now)
}

/** The request tracker of a 429's body, when it is a PaySys envelope. */
function mxIdOf(data: unknown): string | null {
  try {
    const parsed = schemas.envelope.safeParse(JSON.parse(String(data)))
    return parsed.success ? (parsed.data.mx_id ?? null) : null
  } catch {
    return null
  }
}

const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"])

/** An axios failure as a PaysysTransportError (also used by the form's status client). */
export function toTransportError(method: string, error: unknown): PaysysTransportError {
  const code = error instanceof AxiosError ? (error.code ?? "") : ""
  let failure: PaysysTransportFailure = "connection_reset"
  if (NOT_SENT_CODES.has(code)) {
    failure = "connection_refused"
  } else if (code === "ECONNABORTED" || code === "ETIMEDOUT") {
    failure = "timeout"
  }
  return new PaysysTransportError(method, failure, code || "network error")
}
