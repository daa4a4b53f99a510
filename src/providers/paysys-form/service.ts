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
import type { Knex } from "knex"
import { buildFormFields, WIDGET_FORM_URL, WIDGET_SCRIPT_URL } from "../../paysys-form"
import { tookMoney } from "../../modules/paysys/attempt-checks"
import { Schedule } from "../../modules/paysys/look-schedule"
import { checkAttempt } from "../../modules/paysys/check-attempt"
import { refundAttempt } from "../../modules/paysys/attempt-refunds"
import { FormStatusReader } from "../../modules/paysys/form-attempt-check"
import { PaymentLedger } from "../../modules/paysys/payment-ledger"
import { Attempt, attemptNumber } from "../../modules/paysys/ledger-types"
import { PaysysMoney, toPaysysAmount } from "../../modules/paysys/money"
import { paidAttemptOfSession } from "../paysys/paid-attempt-of-session"
import { partnerTransIdFor, withAttempt } from "../paysys/session-data"
import { toMedusaError } from "../paysys/to-medusa-error"
import {
  formUrlOf,
  PaysysFormOptions,
  PaysysFormOptionsInput,
  parsePaysysFormOptions,
} from "../../modules/paysys/form-options"
import { PaysysFormSessionData, readFormSessionData } from "./session-data"
import { paysysRuntime } from "../../modules/paysys/paysys-runtime"
import { FORM_PROVIDER_IDENTIFIER } from "../provider-ids"

type InjectedDependencies = { logger: Logger; __pg_connection__: Knex }

/**
 * Medusa's payment lifecycle on PaySys's hosted form, for stores without PCI DSS: the shopper
 * types the card on PaySys's page. A session is a ledger attempt (written before the shopper
 * can pay) and the signed fields the storefront posts to the form. PaySys's Pay and Notify
 * calls (the plugin's /hooks/paysys-form routes) record what happens; the status API confirms.
 */
export class PaysysFormProviderService extends AbstractPaymentProvider<PaysysFormOptionsInput> {
  static identifier = FORM_PROVIDER_IDENTIFIER

  protected readonly options_: PaysysFormOptions
  protected readonly logger_: Logger
  protected readonly ledger_: PaymentLedger
  protected readonly schedule_: Schedule
  protected readonly readStatus_: FormStatusReader

  static validateOptions(options: Record<string, unknown>): void {
    parsePaysysFormOptions(options)
  }

  constructor(container: InjectedDependencies, options: PaysysFormOptionsInput) {
    super(container, options)
    this.options_ = parsePaysysFormOptions(options)
    this.logger_ = container.logger
    // the checks' pace: the schedule options it is given, the plugin's (its module settles with them)
    const runtime = paysysRuntime({
      schedule: this.options_,
      card: null,
      form: this.options_,
      logger: this.logger_,
      db: container.__pg_connection__,
    })
    this.ledger_ = runtime.ledger
    this.schedule_ = runtime.schedule
    this.readStatus_ = runtime.formStatus
  }

  async initiatePayment({ amount, currency_code, data }: InitiatePaymentInput): Promise<InitiatePaymentOutput> {
    const sessionId = typeof data?.session_id === "string" ? data.session_id : null
    if (!sessionId) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "PaySys needs the payment session id to start a payment")
    }
    // the route's middleware checked it against the store's origins
    const returnUrl = typeof data?.return_url === "string" ? data.return_url : null
    const session = await this.newAttempt(sessionId, this.money(amount, currency_code), returnUrl)
    return { id: session.partner_trans_id, data: session, status: PaymentSessionStatus.PENDING }
  }

  /** A new amount before PaySys heard of the attempt: a new attempt, newly signed fields. */
  async updatePayment({ amount, currency_code, data }: UpdatePaymentInput): Promise<UpdatePaymentOutput> {
    const current = this.sessionData(data)
    const money = this.money(amount, currency_code)
    if (money.amount === current.amount && money.currency === current.currency) {
      return { data: current }
    }
    const session = await this.newAttempt(current.session_id, money, current.return_url ?? null)
    return { data: session, status: PaymentSessionStatus.PENDING }
  }

  /** Cart completion after the shopper returns, and processPaymentWorkflow after Notify 2. */
  async authorizePayment({ data }: AuthorizePaymentInput): Promise<AuthorizePaymentOutput> {
    return this.statusFromLedger(this.sessionData(data), { claim: true })
  }

  async getPaymentStatus({ data }: GetPaymentStatusInput): Promise<GetPaymentStatusOutput> {
    return this.statusFromLedger(this.sessionData(data), { claim: false })
  }

  async retrievePayment({ data }: RetrievePaymentInput): Promise<RetrievePaymentOutput> {
    return { data }
  }

  /** Nothing to capture: the form's payments are one-stage. Confirms the money was taken. */
  async capturePayment({ data }: CapturePaymentInput): Promise<CapturePaymentOutput> {
    const current = this.sessionData(data)
    const attempt = await this.ledger_.retrieveAttempt(current.partner_trans_id)
    if (!tookMoney(attempt)) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `PaySys form payment ${attempt.partner_trans_id} is not paid`
      )
    }
    return { data: { ...withAttempt(current, attempt), form_fields: current.form_fields } }
  }

  /** Never gives money back (the storefront can delete sessions at will); and the form cannot. */
  async cancelPayment({ data }: CancelPaymentInput): Promise<CancelPaymentOutput> {
    return { data }
  }

  async deletePayment({ data }: DeletePaymentInput): Promise<DeletePaymentOutput> {
    return { data }
  }

  /**
   * The form protocol has no refund call. Medusa records a refund only when PaySys cancelled
   * the payment (Notify 3 or an accepted Cancel): then it books what PaySys gave back; any
   * other refund is refused with what to do, and nothing is recorded.
   */
  async refundPayment({ amount, data, context }: RefundPaymentInput): Promise<RefundPaymentOutput> {
    const current = this.sessionData(data)
    const key = context?.idempotency_key
    if (!key) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "A PaySys refund needs Medusa's refund id")
    }
    const { amount: minor } = toPaysysAmount(amount, current.currency)
    const attempt = await this.ledger_.recordCapture(await this.ledger_.retrieveAttempt(current.partner_trans_id))
    const refund = await refundAttempt({ client: null, ledger: this.ledger_, schedule: this.schedule_ }, attempt, {
      key,
      amount: minor,
      origin: "medusa",
      allowCancel: false,
    })
    const refunds = [
      ...current.refunds.filter((r) => r.key !== key),
      { key, amount: refund.amount, via: "paysys" as const, at: new Date().toISOString() },
    ]
    return { data: { ...current, refunds } }
  }

  /** PaySys's form calls come to the plugin's /hooks/paysys-form routes, not Medusa's webhook route. */
  async getWebhookActionAndData(_: ProviderWebhookPayload["payload"]): Promise<WebhookActionResult> {
    return { action: PaymentActions.NOT_SUPPORTED }
  }

  /**
   * The session's status from its form attempts: a paid one of the session's amount pays it; one
   * whose Pay was accepted is asked about (status API). The shopper's return proves nothing.
   */
  private async statusFromLedger(current: PaysysFormSessionData, { claim }: { claim: boolean }) {
    const found = await paidAttemptOfSession({
      ledger: this.ledger_,
      sessionId: current.session_id,
      money: current,
      isOpen: (attempt) => attempt.state === "open" && attempt.agr_trans_id !== null,
      check: (attempt) => this.check(attempt),
      claim,
    })
    if (found.paid) {
      return { status: PaymentSessionStatus.CAPTURED, data: this.withAttempt(current, found.paid) }
    }
    const { latest } = found
    // an attempt waiting for the shopper on PaySys's page is pending, not "requires more"
    const status = latest?.state === "open" ? PaymentSessionStatus.PENDING : found.status
    return { status, data: latest ? this.withAttempt(current, latest) : current }
  }

  private withAttempt(current: PaysysFormSessionData, attempt: Attempt): PaysysFormSessionData {
    return { ...current, ...withAttempt(current, attempt), payment_name: attempt.form?.payment_name ?? null }
  }

  private async check(attempt: Attempt): Promise<Attempt> {
    try {
      return await checkAttempt(null, this.ledger_, attempt, this.schedule_, "authorize", this.readStatus_)
    } catch (error) {
      throw toMedusaError(error, "check the payment")
    }
  }

  /**
   * Signs the fields of the session's next attempt, then writes the attempt to the ledger: an
   * amount the form cannot take (a fraction, outside `amountLimits`) is refused before anything
   * is written or sent, and the shopper gets the fields only once PaySys's Pay can find them.
   */
  private async newAttempt(
    sessionId: string,
    money: PaysysMoney,
    returnUrl: string | null
  ): Promise<PaysysFormSessionData> {
    const partnerTransId = partnerTransIdFor(sessionId, (await this.ledger_.countAttemptsMadeFor(sessionId)) + 1)
    let fields: Record<string, string>
    try {
      fields = buildFormFields({
        vendorId: this.options_.vendorId,
        secretKey: this.options_.secretKey,
        merchantTransId: partnerTransId,
        amount: money.amount,
        currency: money.currency,
        note: this.options_.paymentNote,
        returnUrl: returnUrl ?? undefined,
        roundingMode: this.options_.roundingMode,
        amountLimits: this.options_.amountLimits,
      })
    } catch (error) {
      throw toMedusaError(error, "take this payment")
    }
    const owner = await this.ledger_.collections.retrieveSessionOwner(sessionId)
    const attempt = await this.ledger_.createAttempt(
      {
        partner_trans_id: partnerTransId,
        ...owner,
        kind: "form",
        session_id: sessionId,
        amount: money.amount,
        currency: money.currency,
        next_check_at: new Date(Date.now() + this.schedule_.firstCheckMs),
      },
      "form opened"
    )
    return {
      session_id: sessionId,
      partner_trans_id: attempt.partner_trans_id,
      attempt: attemptNumber(attempt.partner_trans_id),
      ...money,
      refunds: [],
      form_url: formUrlOf(this.options_),
      form_fields: fields,
      return_url: returnUrl,
      widget: this.options_.useWidget ? { script_url: WIDGET_SCRIPT_URL, form_url: WIDGET_FORM_URL } : null,
    }
  }

  private money(amount: InitiatePaymentInput["amount"], currencyCode: string): PaysysMoney {
    try {
      return toPaysysAmount(amount, currencyCode)
    } catch (error) {
      throw toMedusaError(error, "take this payment")
    }
  }

  private sessionData(data: Record<string, unknown> | undefined): PaysysFormSessionData {
    const parsed = readFormSessionData(data)
    if (!parsed) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "This payment was not started by the PaySys form provider")
    }
    return parsed
  }
}
