import axios, { AxiosInstance } from "axios"
import { randomUUID } from "node:crypto"
import http from "node:http"
import https from "node:https"
import { z } from "zod"
import { signAuthHeader } from "./auth"
import {
  CANCEL_PAYMENT,
  CARD_REGISTRATION,
  CallSpec,
  CHECK_PAYMENT,
  parseParams,
  PAY_BY_ID,
  PREPARE_PAYMENT,
  REFUND_PAYMENT,
  REMOVE_CARD_TOKEN,
} from "./client-calls"
import { DEFAULT_RATE_LIMIT_MAX_WAIT_MS, PaysysClientOptions } from "./client-options"
import { assertPaymentAmountWithinLimits, toPaysysCurrency } from "./currencies"
import {
  isTransactionNotFound,
  PaysysRateLimitedError,
  PaysysTransportError,
  PaysysValidationError,
  TRANSACTION_NOT_FOUND_CODES,
} from "./errors"
import { readGatewayAnswer, WithMxId } from "./gateway-answer"
import * as schemas from "./schemas"
import { toTransportError } from "./transport-error"

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
    return readGatewayAnswer(method, spec.result, response, { logger: this.options.logger, startedAt })
  }
}
