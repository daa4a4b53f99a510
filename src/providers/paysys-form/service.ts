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
import { tookMoney } from "../../modules/paysys/attempt-checks"
import { PaysysFormOptionsInput, parsePaysysFormOptions } from "../../modules/paysys/form-options"
import { withAttempt } from "../paysys/session-data"
import { formMoney, newFormAttempt } from "./form-attempt"
import { FormProviderContext, formProviderContext } from "./form-context"
import { refundFormPayment } from "./form-refund"
import { formStatusFromLedger } from "./form-status"
import { formSessionData } from "./session-data"
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

  /** the options, the ledger, the schedule and the status API */
  protected readonly ctx_: FormProviderContext

  static validateOptions(options: Record<string, unknown>): void {
    parsePaysysFormOptions(options)
  }

  constructor(container: InjectedDependencies, options: PaysysFormOptionsInput) {
    super(container, options)
    this.ctx_ = formProviderContext(parsePaysysFormOptions(options), container.logger, container.__pg_connection__)
  }

  async initiatePayment({ amount, currency_code, data }: InitiatePaymentInput): Promise<InitiatePaymentOutput> {
    const sessionId = typeof data?.session_id === "string" ? data.session_id : null
    if (!sessionId) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "PaySys needs the payment session id to start a payment")
    }
    // the route's middleware checked it against the store's origins
    const returnUrl = typeof data?.return_url === "string" ? data.return_url : null
    const session = await newFormAttempt(this.ctx_, sessionId, formMoney(amount, currency_code), returnUrl)
    return { id: session.partner_trans_id, data: session, status: PaymentSessionStatus.PENDING }
  }

  /** A new amount before PaySys heard of the attempt: a new attempt, newly signed fields. */
  async updatePayment({ amount, currency_code, data }: UpdatePaymentInput): Promise<UpdatePaymentOutput> {
    const current = formSessionData(data)
    const money = formMoney(amount, currency_code)
    if (money.amount === current.amount && money.currency === current.currency) {
      return { data: current }
    }
    const session = await newFormAttempt(this.ctx_, current.session_id, money, current.return_url ?? null)
    return { data: session, status: PaymentSessionStatus.PENDING }
  }

  /** Cart completion after the shopper returns, and processPaymentWorkflow after Notify 2. */
  async authorizePayment({ data }: AuthorizePaymentInput): Promise<AuthorizePaymentOutput> {
    return formStatusFromLedger(this.ctx_, formSessionData(data), { claim: true })
  }

  async getPaymentStatus({ data }: GetPaymentStatusInput): Promise<GetPaymentStatusOutput> {
    return formStatusFromLedger(this.ctx_, formSessionData(data), { claim: false })
  }

  async retrievePayment({ data }: RetrievePaymentInput): Promise<RetrievePaymentOutput> {
    return { data }
  }

  /** Nothing to capture: the form's payments are one-stage. Confirms the money was taken. */
  async capturePayment({ data }: CapturePaymentInput): Promise<CapturePaymentOutput> {
    const current = formSessionData(data)
    const attempt = await this.ctx_.ledger.retrieveAttempt(current.partner_trans_id)
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

  async refundPayment(input: RefundPaymentInput): Promise<RefundPaymentOutput> {
    return refundFormPayment(this.ctx_, input)
  }

  /** PaySys's form calls come to the plugin's /hooks/paysys-form routes, not Medusa's webhook route. */
  async getWebhookActionAndData(_: ProviderWebhookPayload["payload"]): Promise<WebhookActionResult> {
    return { action: PaymentActions.NOT_SUPPORTED }
  }
}
