import {
  AuthorizePaymentInput,
  AuthorizePaymentOutput,
  CancelPaymentInput,
  CancelPaymentOutput,
  CapturePaymentInput,
  CapturePaymentOutput,
  DeletePaymentInput,
  DeletePaymentOutput,
  GetPaymentStatusInput,
  GetPaymentStatusOutput,
  InitiatePaymentInput,
  InitiatePaymentOutput,
  Logger,
  ProviderWebhookPayload,
  RefundPaymentInput,
  RefundPaymentOutput,
  RetrievePaymentInput,
  RetrievePaymentOutput,
  UpdatePaymentInput,
  UpdatePaymentOutput,
  WebhookActionResult,
} from "@medusajs/framework/types"
import { AbstractPaymentProvider, MedusaError, PaymentActions, PaymentSessionStatus } from "@medusajs/framework/utils"
import {
  currencyFromNumericCode,
  isNotificationAuthValid,
  PaysysClient,
  PaysysError,
  PaysysStatus,
  transactionStatusNotification,
} from "../../paysys"
import { createPaysysClient } from "./client-factory"
import { fromPaysysAmount, toPaysysAmount, toPaysysPaymentAmount } from "./money"
import { PaysysOptions, PaysysOptionsInput, parsePaysysOptions } from "./options"
import {
  parsePartnerTransId,
  partnerTransIdFor,
  PaysysSessionData,
  readSessionData,
  toSessionStatus,
  withPaysysStatus,
} from "./session-data"
import { toMedusaError } from "./to-medusa-error"

type InjectedDependencies = { logger: Logger }

/** PaySys allows a reversal (cancel_payment) within 7 days of the payment. */
const REVERSAL_WINDOW_MS = 7 * 24 * 60 * 60 * 1000

/**
 * Medusa's payment lifecycle on PaySys. PaySys payments are one-stage: once the shopper
 * passes 3-D Secure the money is taken (status 2), so authorization ends `captured`.
 * The card itself never comes through here: the store route posts it straight to PaySys.
 */
export class PaysysProviderService extends AbstractPaymentProvider<PaysysOptionsInput> {
  static identifier = "paysys"

  protected readonly options_: PaysysOptions
  protected readonly client_: PaysysClient
  protected readonly logger_: Logger

  static validateOptions(options: Record<string, unknown>): void {
    parsePaysysOptions(options)
  }

  constructor(container: InjectedDependencies, options: PaysysOptionsInput) {
    super(container, options)
    this.options_ = parsePaysysOptions(options)
    this.logger_ = container.logger
    this.client_ = createPaysysClient(this.options_, this.logger_)
  }

  async initiatePayment({ amount, currency_code, data }: InitiatePaymentInput): Promise<InitiatePaymentOutput> {
    const money = this.paymentAmount(amount, currency_code)
    const sessionId = typeof data?.session_id === "string" ? data.session_id : null
    if (!sessionId) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "PaySys needs the payment session id to start a payment")
    }
    const sessionData: PaysysSessionData = {
      session_id: sessionId,
      partner_trans_id: partnerTransIdFor(sessionId, 1),
      attempt: 1,
      ...money,
      refunds: [],
    }
    return { id: sessionData.partner_trans_id, data: sessionData, status: PaymentSessionStatus.REQUIRES_MORE }
  }

  /** The amount may change before the card is posted; once an attempt is at PaySys it is fixed. */
  async updatePayment({ amount, currency_code, data }: UpdatePaymentInput): Promise<UpdatePaymentOutput> {
    const current = this.sessionData(data)
    const money = this.paymentAmount(amount, currency_code)
    const changed = money.amount !== current.amount || money.currency !== current.currency
    if (changed && current.submitted_at) {
      // the next card submission opens a new attempt with the new amount
      return {
        data: { ...current, ...money, submitted_at: null, transaction_id: null, confirm_url: null, paysys_status: null },
        status: PaymentSessionStatus.REQUIRES_MORE,
      }
    }
    return { data: { ...current, ...money } }
  }

  async authorizePayment(input: AuthorizePaymentInput): Promise<AuthorizePaymentOutput> {
    return this.getPaymentStatus(input)
  }

  async getPaymentStatus({ data }: GetPaymentStatusInput): Promise<GetPaymentStatusOutput> {
    const current = this.sessionData(data)
    if (!current.submitted_at) {
      return { status: PaymentSessionStatus.REQUIRES_MORE, data: current }
    }
    const checked = await this.check(current)
    return { status: toSessionStatus(checked.paysys_status), data: checked }
  }

  async retrievePayment({ data }: RetrievePaymentInput): Promise<RetrievePaymentOutput> {
    const current = this.sessionData(data)
    return { data: current.submitted_at ? await this.check(current) : current }
  }

  /** Nothing to capture at PaySys: confirm the money was taken (idempotent). */
  async capturePayment({ data }: CapturePaymentInput): Promise<CapturePaymentOutput> {
    const checked = await this.check(this.sessionData(data))
    if (toSessionStatus(checked.paysys_status) !== PaymentSessionStatus.CAPTURED) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `PaySys payment ${checked.partner_trans_id} is not completed (PaySys status ${checked.paysys_status})`
      )
    }
    return { data: checked }
  }

  /** Reverses a completed payment; a payment that never completed has nothing to reverse. */
  async cancelPayment({ data }: CancelPaymentInput): Promise<CancelPaymentOutput> {
    const current = this.sessionData(data)
    if (!current.submitted_at) {
      return { data: current }
    }
    const checked = await this.check(current)
    if (checked.paysys_status !== PaysysStatus.COMPLETED) {
      return { data: checked }
    }
    try {
      const result = await this.client_.cancelPayment({ partner_trans_id: checked.partner_trans_id })
      return { data: withPaysysStatus(checked, result) }
    } catch (error) {
      throw toMedusaError(error, "cancel the payment")
    }
  }

  /** A deleted session must not keep the shopper's money: same as cancel. */
  async deletePayment(input: DeletePaymentInput): Promise<DeletePaymentOutput> {
    return this.cancelPayment(input)
  }

  async refundPayment({ amount, data, context }: RefundPaymentInput): Promise<RefundPaymentOutput> {
    const current = this.sessionData(data)
    const { amount: minor } = toPaysysAmount(amount, current.currency)
    const key = context?.idempotency_key ?? `refund-${Date.now()}`
    if (current.refunds.some((refund) => refund.key === key)) {
      return { data: current }
    }
    const at = new Date().toISOString()
    if (this.mayRefundByCancel(current, minor)) {
      try {
        const result = await this.client_.cancelPayment({ partner_trans_id: current.partner_trans_id })
        return { data: { ...withPaysysStatus(current, result), refunds: [{ key, amount: minor, via: "cancel", at }] } }
      } catch (error) {
        if (!(error instanceof PaysysError)) {
          throw toMedusaError(error, "reverse the payment")
        }
        this.logger_.warn(`PaySys refused the reversal of ${current.partner_trans_id} (${error.code}); refunding instead`)
      }
    }
    try {
      const result = await this.client_.refundPayment({
        partner_trans_id: current.partner_trans_id,
        amount: minor,
        currency: current.currency,
      })
      return {
        data: { ...withPaysysStatus(current, result), refunds: [...current.refunds, { key, amount: minor, via: "refund", at }] },
      }
    } catch (error) {
      throw toMedusaError(error, "refund the payment")
    }
  }

  /**
   * For Medusa's stock route `/hooks/payment/pp_paysys_paysys`. The plugin's own
   * `/hooks/paysys` route is the one to configure at PaySys: it records every
   * notification before answering. Either way the notification is only a hint:
   * the action comes from check_payment.
   */
  async getWebhookActionAndData(payload: ProviderWebhookPayload["payload"]): Promise<WebhookActionResult> {
    const { vendorMethod, vendorSecretKey } = this.options_
    const authorization = payload.headers?.authorization ?? payload.headers?.Authorization
    const notification = transactionStatusNotification.safeParse(payload.data)
    const ids = notification.success ? parsePartnerTransId(notification.data.account) : null
    if (!isNotificationAuthValid(authorization, vendorMethod, vendorSecretKey) || !notification.success || !ids) {
      return { action: PaymentActions.NOT_SUPPORTED }
    }
    const result = await this.client_.checkPayment({ partner_trans_id: notification.data.account })
    const currency = currencyFromNumericCode(notification.data.currency)
    const sessionStatus = toSessionStatus(result.status)
    if (result.status === PaysysStatus.COMPLETED && currency) {
      const amount = fromPaysysAmount(notification.data.amount, currency)
      return { action: PaymentActions.SUCCESSFUL, data: { session_id: ids.sessionId, amount } }
    }
    if (sessionStatus === PaymentSessionStatus.ERROR) {
      return { action: PaymentActions.FAILED, data: { session_id: ids.sessionId, amount: 0 } }
    }
    return { action: PaymentActions.NOT_SUPPORTED }
  }

  private mayRefundByCancel(current: PaysysSessionData, minor: string): boolean {
    const paidAt = current.paid_at ? Date.parse(current.paid_at) : NaN
    return (
      this.options_.refundByCancel &&
      current.refunds.length === 0 &&
      minor === current.amount &&
      current.paysys_status === PaysysStatus.COMPLETED &&
      Date.now() - paidAt < REVERSAL_WINDOW_MS
    )
  }

  private async check(current: PaysysSessionData): Promise<PaysysSessionData> {
    try {
      return withPaysysStatus(current, await this.client_.checkPayment({ partner_trans_id: current.partner_trans_id }))
    } catch (error) {
      throw toMedusaError(error, "check the payment")
    }
  }

  private paymentAmount(amount: InitiatePaymentInput["amount"], currencyCode: string) {
    try {
      return toPaysysPaymentAmount(amount, currencyCode)
    } catch (error) {
      throw toMedusaError(error, "take this payment")
    }
  }

  private sessionData(data: Record<string, unknown> | undefined): PaysysSessionData {
    const parsed = readSessionData(data)
    if (!parsed) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "This payment was not started by the PaySys provider")
    }
    return parsed
  }
}
