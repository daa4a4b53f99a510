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
  isNotificationAuthValid,
  PaysysClient,
  PaysysError,
  PaysysRateLimitedError,
  PaysysTransportError,
  transactionStatusNotification,
} from "../../paysys"
import { isFinished, tookMoney } from "../../modules/paysys/attempt-checks"
import { Schedule } from "../../modules/paysys/look-schedule"
import { checkAttempt } from "../../modules/paysys/check-attempt"
import { refundAttempt } from "../../modules/paysys/attempt-refunds"
import { PaymentLedger } from "../../modules/paysys/payment-ledger"
import { Attempt, entry } from "../../modules/paysys/ledger-types"
import { registerCard } from "../../modules/paysys/register-card"
import { SavedCardBinding } from "../../modules/paysys/saved-card-binding"
import { SavedCardStore } from "../../modules/paysys/saved-card-store"
import { savedCardInput } from "./saved-card-input"
import { paysysRuntime } from "../../modules/paysys/paysys-runtime"
import { fromPaysysAmount, toPaysysAmount, toPaysysPaymentAmount } from "../../modules/paysys/money"
import { PaysysOptions, PaysysOptionsInput, parsePaysysOptions } from "../../modules/paysys/card-options"
import { paidAttemptOfSession } from "./paid-attempt-of-session"
import {
  DeclineDetail,
  partnerTransIdFor,
  PaysysSessionData,
  readSessionData,
  unclaimedStatusOf,
  withAttempt,
} from "./session-data"
import { toMedusaError } from "./to-medusa-error"
import { CARD_PROVIDER_IDENTIFIER } from "../provider-ids"

type InjectedDependencies = { logger: Logger; __pg_connection__: Knex }

/**
 * Medusa's payment lifecycle on PaySys. PaySys payments are one-stage: once the shopper
 * passes 3-D Secure the money is taken (status 2), so authorization ends `captured`.
 * The card itself never comes through here: the store route posts it straight to PaySys.
 */
export class PaysysProviderService extends AbstractPaymentProvider<PaysysOptionsInput> {
  static identifier = CARD_PROVIDER_IDENTIFIER

  protected readonly options_: PaysysOptions
  protected readonly client_: PaysysClient
  protected readonly logger_: Logger
  protected readonly savedCards_: SavedCardStore
  protected readonly savedCardSessions_: SavedCardBinding
  protected readonly ledger_: PaymentLedger
  protected readonly schedule_: Schedule
  /** how much of a decline payment_session.data tells the storefront */
  protected readonly declines_: DeclineDetail

  static validateOptions(options: Record<string, unknown>): void {
    parsePaysysOptions(options)
  }

  constructor(container: InjectedDependencies, options: PaysysOptionsInput) {
    super(container, options)
    this.options_ = parsePaysysOptions(options)
    this.logger_ = container.logger
    const db = container.__pg_connection__
    const runtime = paysysRuntime({
      schedule: this.options_,
      card: this.options_,
      form: null,
      logger: this.logger_,
      db,
    })
    this.client_ = runtime.client
    this.ledger_ = runtime.ledger
    this.schedule_ = runtime.schedule
    this.savedCards_ = SavedCardStore.from(db, this.options_.cardTokenKey)
    this.savedCardSessions_ = new SavedCardBinding(db)
    this.declines_ = { detailedDeclines: this.options_.detailedDeclines }
  }

  async initiatePayment({
    amount,
    currency_code,
    data,
    context,
  }: InitiatePaymentInput): Promise<InitiatePaymentOutput> {
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
      // the customer comes from the request's authentication (Medusa's store route), never from the data
      const customerId = context?.customer?.id
      const card = await this.ownedCard(data.saved_card_id, customerId)
      if (card.status !== "active") {
        throw new MedusaError(
          MedusaError.Types.NOT_ALLOWED,
          `Saved card ${card.id} is ${card.status}, not ready to pay`
        )
      }
      Object.assign(sessionData, { saved_card_id: card.id, card_masked: card.masked_pan })
      await this.savedCardSessions_.record({
        session_id: sessionId,
        saved_card_id: card.id,
        customer_id: customerId!,
        ...money,
      })
      // nothing more to ask the shopper: completing the cart charges the card
      return { id: sessionData.partner_trans_id, data: sessionData, status: PaymentSessionStatus.PENDING }
    }
    // waiting for the shopper's card is `pending`, as Medusa's default and Stripe's fresh intent;
    // `requires_more` is for an action asked in the middle of a payment (3-D Secure)
    return { id: sessionData.partner_trans_id, data: sessionData, status: PaymentSessionStatus.PENDING }
  }

  /** The amount may change before the card is posted; once an attempt is at PaySys it is fixed. */
  async updatePayment({ amount, currency_code, data }: UpdatePaymentInput): Promise<UpdatePaymentOutput> {
    const current = this.sessionData(data)
    const money = this.paymentAmount(amount, currency_code)
    const changed = money.amount !== current.amount || money.currency !== current.currency
    if (changed && current.submitted_at) {
      // the next card submission opens a new attempt with the new amount
      return {
        data: {
          ...current,
          ...money,
          submitted_at: null,
          transaction_id: null,
          confirm_url: null,
          paysys_status: null,
        },
        status: PaymentSessionStatus.PENDING,
      }
    }
    return { data: { ...current, ...money } }
  }

  /**
   * Cart completion and processPaymentWorkflow land here. The ledger, not the session data,
   * says which attempts this session made; PaySys (check_payment) says which one took money.
   */
  async authorizePayment(input: AuthorizePaymentInput): Promise<AuthorizePaymentOutput> {
    const current = this.sessionData(input.data)
    return current.saved_card_id ? this.chargeSavedCard(current) : this.statusFromLedger(current, { claim: true })
  }

  async getPaymentStatus({ data }: GetPaymentStatusInput): Promise<GetPaymentStatusOutput> {
    return this.statusFromLedger(this.sessionData(data), { claim: false })
  }

  async retrievePayment({ data }: RetrievePaymentInput): Promise<RetrievePaymentOutput> {
    const current = this.sessionData(data)
    const attempt = current.submitted_at ? await this.ledger_.findAttempt(current.partner_trans_id) : null
    return { data: attempt ? withAttempt(current, await this.check(attempt, "retrieve"), this.declines_) : current }
  }

  /** Nothing to capture at PaySys: confirm the money was taken (idempotent). */
  async capturePayment({ data }: CapturePaymentInput): Promise<CapturePaymentOutput> {
    const current = this.sessionData(data)
    const attempt = await this.check(await this.ledger_.retrieveAttempt(current.partner_trans_id), "capture")
    if (!tookMoney(attempt)) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `PaySys payment ${attempt.partner_trans_id} is not completed (PaySys status ${attempt.paysys_status})`
      )
    }
    return { data: withAttempt(current, attempt, this.declines_) }
  }

  /**
   * Never gives money back. Medusa calls this when a session is deleted or re-created, which a
   * storefront can do at will, even after the order was placed: a paid attempt is reversed only
   * by reconciliation, once it has made sure no Medusa payment or order uses it.
   */
  async cancelPayment({ data }: CancelPaymentInput): Promise<CancelPaymentOutput> {
    return { data }
  }

  /** As cancelPayment: the ledger keeps the attempts, reconciliation settles them. */
  async deletePayment({ data }: DeletePaymentInput): Promise<DeletePaymentOutput> {
    return { data }
  }

  /**
   * An admin refund or an order cancellation. Recorded in the ledger before PaySys hears of it,
   * keyed by Medusa's refund id; PaySys's current status is read first, so a refund whose
   * answer was lost is resolved before anything is sent again.
   */
  async refundPayment({ amount, data, context }: RefundPaymentInput): Promise<RefundPaymentOutput> {
    const current = this.sessionData(data)
    const { amount: minor } = toPaysysAmount(amount, current.currency)
    const key = context?.idempotency_key
    if (!key) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "A PaySys refund needs Medusa's refund id")
    }
    // the attempt is this payment's from now on, whatever reconciliation has seen of it yet
    const attempt = await this.ledger_.recordCapture(
      await this.check(await this.ledger_.retrieveAttempt(current.partner_trans_id), "refund")
    )
    try {
      const refund = await refundAttempt(this.refundDeps(), attempt, {
        key,
        amount: minor,
        origin: "medusa",
        allowCancel: this.options_.refundByCancel,
      })
      const via = refund.origin === "external" ? "paysys" : refund.kind
      const refunds = [
        ...current.refunds.filter((r) => r.key !== key),
        { key, amount: refund.amount, via, at: new Date().toISOString() },
      ]
      const data = withAttempt(current, await this.ledger_.retrieveAttempt(attempt.partner_trans_id), this.declines_)
      return { data: { ...data, refunds } }
    } catch (error) {
      throw toMedusaError(error, "refund the payment")
    }
  }

  /**
   * For Medusa's stock route `/hooks/payment/pp_paysys_paysys`. The plugin's own
   * `/hooks/paysys` route is the one to configure at PaySys: it records every
   * notification before answering. Either way the notification is only a hint:
   * the action comes from check_payment, and only for an attempt of this store's ledger.
   */
  async getWebhookActionAndData(payload: ProviderWebhookPayload["payload"]): Promise<WebhookActionResult> {
    const { vendorMethod, vendorSecretKey } = this.options_
    const authorization = payload.headers?.authorization ?? payload.headers?.Authorization
    const notification = transactionStatusNotification.safeParse(payload.data)
    if (!isNotificationAuthValid(authorization, vendorMethod, vendorSecretKey) || !notification.success) {
      return { action: PaymentActions.NOT_SUPPORTED }
    }
    const known = await this.ledger_.findAttempt(notification.data.account)
    if (!known) {
      return { action: PaymentActions.NOT_SUPPORTED }
    }
    const attempt = await this.check(known, "webhook")
    if (tookMoney(attempt)) {
      const amount = fromPaysysAmount(attempt.amount, attempt.currency)
      return { action: PaymentActions.SUCCESSFUL, data: { session_id: attempt.session_id, amount } }
    }
    if (attempt.state === "failed") {
      return { action: PaymentActions.FAILED, data: { session_id: attempt.session_id, amount: 0 } }
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
      await this.client_
        .removeCardToken({ card_id: credentials.card_id, card_token: credentials.token })
        .catch((error) => {
          // the token is wiped here anyway: without it this store can never charge the card again
          this.logger_.warn(`PaySys did not remove card ${card.id}'s token (${error.message}); removed here`)
        })
    }
    await this.savedCards_.markRemoved(card.id)
    return {}
  }

  /** The session's status from its attempts (see paidAttemptOfSession). */
  private async statusFromLedger(current: PaysysSessionData, { claim }: { claim: boolean }) {
    const found = await paidAttemptOfSession({
      ledger: this.ledger_,
      sessionId: current.session_id,
      money: current,
      isOpen: (attempt) => attempt.state === "sending" || attempt.state === "open",
      check: (attempt) => this.check(attempt, "authorize"),
      claim,
    })
    if (found.paid) {
      return { status: PaymentSessionStatus.CAPTURED, data: withAttempt(current, found.paid, this.declines_) }
    }
    return { status: found.status, data: found.latest ? withAttempt(current, found.latest, this.declines_) : current }
  }

  /**
   * pay_by_id, sent at most once per attempt: the ledger marks the attempt sent before the call,
   * and an attempt marked sent is only ever checked. After a refusal or a lost answer,
   * check_payment decides; an attempt PaySys never received leaves room for a new one.
   */
  private async chargeSavedCard(current: PaysysSessionData): Promise<AuthorizePaymentOutput> {
    const attempts = await this.ledger_.listSessionAttempts(current.session_id)
    const paid = attempts.find((attempt) => attempt.state === "paid" || attempt.state === "captured")
    const last = paid ?? attempts.at(-1)
    if (last && !isFinished(last)) {
      return this.statusFromLedger(current, { claim: true })
    }
    // the completion route made sure the card's owner completes; here, that nothing changed since
    const problem = await this.savedCardSessions_.chargeProblem(current)
    if (problem) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, problem.message)
    }
    const credentials = await this.savedCards_.credentialsOf(current.saved_card_id!)
    if (!credentials) {
      const error = { code: 0, message: "This saved card can no longer be used" }
      return { status: PaymentSessionStatus.ERROR, data: { ...current, error } }
    }
    const attempt = await this.ledger_.createAttempt(
      {
        partner_trans_id: partnerTransIdFor(
          current.session_id,
          (await this.ledger_.countAttemptsMadeFor(current.session_id)) + 1
        ),
        ...(await this.ledger_.collections.retrieveSessionOwner(current.session_id)),
        kind: "saved_card",
        session_id: current.session_id,
        amount: current.amount,
        currency: current.currency,
        saved_card_id: current.saved_card_id,
        next_check_at: new Date(Date.now() + this.schedule_.firstCheckMs),
      },
      "pay_by_id to be sent"
    )
    if (!(await this.ledger_.markSent(attempt.partner_trans_id))) {
      return this.statusFromLedger(current, { claim: true })
    }
    try {
      await this.client_.payById(
        {
          partner_trans_id: attempt.partner_trans_id,
          card_id: credentials.card_id,
          amount: attempt.amount,
          currency: attempt.currency,
          client_ip_addr: current.client_ip ?? "127.0.0.1",
          description: this.options_.paymentDescription,
          vendor_id: this.options_.vendorId,
        },
        credentials.token
      )
    } catch (error) {
      if (error instanceof PaysysRateLimitedError) {
        // HTTP 429: not carried out, so the attempt never reached PaySys and the next completion may make a new one
        await this.ledger_.updateAttempt(
          attempt.partner_trans_id,
          { event: "paysys_never_received", outcome: "never_reached_paysys", next_check_at: null },
          entry("pay_by_id rate limited (HTTP 429)", null, error.message)
        )
      }
      if (!(error instanceof PaysysError) && !(error instanceof PaysysTransportError)) {
        throw toMedusaError(error, "charge the saved card")
      }
      const known = await this.checkIfKnown(attempt)
      if (!known && error instanceof PaysysError) {
        const refused = await this.ledger_.updateAttempt(
          attempt.partner_trans_id,
          {
            event: "paysys_declined",
            outcome: "refused",
            next_check_at: null,
            bank: { error: { code: error.code, message: error.paysysMessage } },
          },
          entry("pay_by_id refused", null, error.paysysMessage)
        )
        return { status: PaymentSessionStatus.ERROR, data: withAttempt(current, refused, this.declines_) }
      }
      // not known yet: pending; the attempt is only checked from now on, never sent again
      if (known) {
        return this.authorizeWith(current, known)
      }
      return { status: PaymentSessionStatus.PENDING, data: withAttempt(current, attempt, this.declines_) }
    }
    return this.authorizeWith(current, await this.check(attempt, "pay_by_id"))
  }

  /** The completion takes the attempt as the session's payment if it took money and may be claimed. */
  private async authorizeWith(current: PaysysSessionData, attempt: Attempt): Promise<AuthorizePaymentOutput> {
    const claimed = tookMoney(attempt) && (await this.ledger_.collections.claim(attempt.partner_trans_id))
    const status = claimed ? PaymentSessionStatus.CAPTURED : unclaimedStatusOf(attempt)
    return { status, data: withAttempt(current, attempt, this.declines_) }
  }

  /** check_payment into the ledger, or null when PaySys cannot be asked or does not know it. */
  private async checkIfKnown(attempt: Attempt): Promise<Attempt | null> {
    const checked = await checkAttempt(this.client_, this.ledger_, attempt, this.schedule_, "after pay_by_id").catch(
      () => null
    )
    return checked && checked.paysys_status !== null ? checked : null
  }

  private async check(attempt: Attempt, source: string): Promise<Attempt> {
    try {
      return await checkAttempt(this.client_, this.ledger_, attempt, this.schedule_, source)
    } catch (error) {
      throw toMedusaError(error, "check the payment")
    }
  }

  private refundDeps() {
    return { client: this.client_, ledger: this.ledger_, schedule: this.schedule_ }
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
