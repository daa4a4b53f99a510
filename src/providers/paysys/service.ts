import {
  AuthorizePaymentInput,
  AuthorizePaymentOutput,
  CancelPaymentInput,
  CancelPaymentOutput,
  CreateAccountHolderInput,
  CreateAccountHolderOutput,
  DeleteAccountHolderInput,
  DeleteAccountHolderOutput,
  DeletePaymentMethodInput,
  DeletePaymentMethodOutput,
  ListPaymentMethodsInput,
  ListPaymentMethodsOutput,
  SavePaymentMethodInput,
  SavePaymentMethodOutput,
  UpdateAccountHolderInput,
  UpdateAccountHolderOutput,
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
import type { Knex } from "knex"
import {
  currencyFromNumericCode,
  isNotificationAuthValid,
  PaysysClient,
  PaysysError,
  PaysysStatus,
  PaysysTransportError,
  transactionStatusNotification,
} from "../../paysys"
import { registerCard } from "../../lib/register-card"
import { SavedCardStore } from "../../lib/saved-card-store"
import { savedCardInput } from "./saved-card-input"
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

type InjectedDependencies = { logger: Logger; __pg_connection__: Knex }

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
  protected readonly savedCards_: SavedCardStore

  static validateOptions(options: Record<string, unknown>): void {
    parsePaysysOptions(options)
  }

  constructor(container: InjectedDependencies, options: PaysysOptionsInput) {
    super(container, options)
    this.options_ = parsePaysysOptions(options)
    this.logger_ = container.logger
    this.client_ = createPaysysClient(this.options_, this.logger_)
    this.savedCards_ = SavedCardStore.from(container.__pg_connection__, this.options_.cardTokenKey)
  }

  async initiatePayment({ amount, currency_code, data, context }: InitiatePaymentInput): Promise<InitiatePaymentOutput> {
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
      client_ip: typeof data?.client_ip === "string" ? data.client_ip : null,
      refunds: [],
    }
    if (typeof data?.saved_card_id === "string") {
      const card = await this.ownedCard(data.saved_card_id, context?.customer?.id)
      if (card.status !== "active") {
        throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Saved card ${card.id} is ${card.status}, not ready to pay`)
      }
      Object.assign(sessionData, { saved_card_id: card.id, card_masked: card.masked_pan })
      // nothing more to ask the shopper: completing the cart charges the card
      return { id: sessionData.partner_trans_id, data: sessionData, status: PaymentSessionStatus.PENDING }
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
    const current = this.sessionData(input.data)
    if (!current.saved_card_id) {
      return this.getPaymentStatus(input)
    }
    // a saved card is charged here, once: an attempt already sent is only ever checked
    const known = current.submitted_at ? await this.checkIfKnown(current) : null
    return known ? { status: toSessionStatus(known.paysys_status), data: known } : this.chargeSavedCard(current)
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
    if (current.external_refund?.amount === minor) {
      // reconciliation records a refund PaySys already made: nothing to send
      return {
        data: { ...current, external_refund: null, refunds: [...current.refunds, { key, amount: minor, via: "paysys", at }] },
      }
    }
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

  async createAccountHolder({ context }: CreateAccountHolderInput): Promise<CreateAccountHolderOutput> {
    if (context.account_holder?.data?.account) {
      return { id: String(context.account_holder.data.account), data: context.account_holder.data }
    }
    if (!context.customer) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "A PaySys account holder needs a customer")
    }
    // PaySys has no customer object: mir.card_registration's `account` names the customer
    return { id: context.customer.id, data: { account: context.customer.id } }
  }

  async updateAccountHolder(_: UpdateAccountHolderInput): Promise<UpdateAccountHolderOutput> {
    return {}
  }

  async deleteAccountHolder(_: DeleteAccountHolderInput): Promise<DeleteAccountHolderOutput> {
    return {}
  }

  async listPaymentMethods({ context }: ListPaymentMethodsInput): Promise<ListPaymentMethodsOutput> {
    const account = accountOf(context)
    if (!account) {
      return []
    }
    const cards = await this.savedCards_.listActive(account)
    return cards.map(({ id, masked_pan, brand, expiry }) => ({ id, data: { masked_pan, brand, expiry } }))
  }

  /** Starts saving a card: mir.card_registration, then 3-D Secure; partner.notify completes it. */
  async savePaymentMethod({ context, data }: SavePaymentMethodInput): Promise<SavePaymentMethodOutput> {
    const account = accountOf(context)
    if (!account) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "Only a signed-in customer can save a card")
    }
    this.savedCards_.assertSavingEnabled()
    const card = savedCardInput.safeParse(data)
    if (!card.success) {
      const issue = card.error.issues[0]
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `${issue.path.join(".")}: ${issue.message}`)
    }
    try {
      const { card: saved, confirm_url } = await registerCard(this.client_, this.savedCards_, account, card.data)
      const { id, status, masked_pan, brand, expiry } = saved
      return { id, data: { status, masked_pan, brand, expiry, confirm_url } }
    } catch (error) {
      throw toMedusaError(error, "register the card")
    }
  }

  /** Removes the token at PaySys (mir.remove_card_token) and wipes ours. Own cards only. */
  async deletePaymentMethod({ context, data }: DeletePaymentMethodInput): Promise<DeletePaymentMethodOutput> {
    const card = await this.ownedCard(data.id, accountOf(context))
    const credentials = await this.savedCards_.credentialsOf(card.id)
    if (credentials) {
      await this.client_.removeCardToken({ card_id: credentials.card_id, card_token: credentials.token }).catch((error) => {
        // the token is wiped here anyway: without it this store can never charge the card again
        this.logger_.warn(`PaySys did not remove card ${card.id}'s token (${error.message}); removed here`)
      })
    }
    await this.savedCards_.markRemoved(card.id)
    return {}
  }

  /**
   * pay_by_id, sent at most once per attempt: after a timeout or a refusal, check_payment
   * tells whether PaySys took the money; only an attempt PaySys never saw may be sent again
   * (with the same partner_trans_id, which PaySys refuses twice).
   */
  private async chargeSavedCard(current: PaysysSessionData): Promise<AuthorizePaymentOutput> {
    const submitted: PaysysSessionData = { ...current, submitted_at: current.submitted_at ?? new Date().toISOString() }
    const credentials = await this.savedCards_.credentialsOf(current.saved_card_id!)
    if (!credentials) {
      const error = { code: 0, message: "This saved card can no longer be used" }
      return { status: PaymentSessionStatus.ERROR, data: { ...submitted, error } }
    }
    try {
      await this.client_.payById(
        {
          partner_trans_id: submitted.partner_trans_id,
          card_id: credentials.card_id,
          amount: submitted.amount,
          currency: submitted.currency,
          client_ip_addr: submitted.client_ip ?? "127.0.0.1",
          description: this.options_.paymentDescription,
          vendor_id: this.options_.vendorId,
        },
        credentials.token
      )
    } catch (error) {
      if (!(error instanceof PaysysError) && !(error instanceof PaysysTransportError)) {
        throw toMedusaError(error, "charge the saved card")
      }
      const known = await this.checkIfKnown(submitted)
      if (known) {
        return { status: toSessionStatus(known.paysys_status), data: known }
      }
      if (error instanceof PaysysError) {
        const refused = { code: error.code, message: error.paysysMessage }
        return { status: PaymentSessionStatus.ERROR, data: { ...submitted, paysys_status: PaysysStatus.ERROR, error: refused } }
      }
      // not known yet: PENDING keeps the attempt; it is checked before anything is sent again
      return { status: PaymentSessionStatus.PENDING, data: submitted }
    }
    const checked = await this.check(submitted)
    return { status: toSessionStatus(checked.paysys_status), data: checked }
  }

  /** check_payment, or null when PaySys does not know the attempt. */
  private async checkIfKnown(current: PaysysSessionData): Promise<PaysysSessionData | null> {
    try {
      return withPaysysStatus(current, await this.client_.checkPayment({ partner_trans_id: current.partner_trans_id }))
    } catch (error) {
      if (error instanceof PaysysError) {
        return null
      }
      throw toMedusaError(error, "check the payment")
    }
  }

  private async ownedCard(id: string, customerId: string | null | undefined) {
    if (!customerId) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "Sign in to use a saved card")
    }
    const card = await this.savedCards_.findOwned(id, customerId)
    if (!card) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Saved card ${id} was not found`)
    }
    return card
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

/** The PaySys `account` of the customer behind an account holder. */
function accountOf(context: { account_holder?: { data?: Record<string, unknown> } } | undefined): string | null {
  const account = context?.account_holder?.data?.account
  return typeof account === "string" && account ? account : null
}
