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
import { AbstractPaymentProvider, MedusaError } from "@medusajs/framework/utils"
import type { Knex } from "knex"
import { tookMoney } from "../../modules/paysys/attempt-checks"
import { PaysysOptionsInput, parsePaysysOptions } from "../../modules/paysys/card-options"
import { CardProviderContext, cardProviderContext } from "./card-context"
import { cardStatusFromLedger, checkCardAttempt } from "./card-checks"
import { refundCardPayment } from "./card-refund"
import { newCardSession, updatedCardSession } from "./card-session"
import { chargeSavedCard } from "./saved-card-charge"
import { createAccountHolder, deletePaymentMethod, listPaymentMethods, savePaymentMethod } from "./saved-card-methods"
import { cardSessionData, withAttempt } from "./session-data"
import { webhookAction } from "./webhook-action"
import { CARD_PROVIDER_IDENTIFIER } from "../provider-ids"

type InjectedDependencies = { logger: Logger; __pg_connection__: Knex }

/**
 * Medusa's payment lifecycle on PaySys. PaySys payments are one-stage: once the shopper
 * passes 3-D Secure the money is taken (status 2), so authorization ends `captured`.
 * The card itself never comes through here: the store route posts it straight to PaySys.
 * Each step is a function of its own file, given what the provider works with (ctx_).
 */
export class PaysysProviderService extends AbstractPaymentProvider<PaysysOptionsInput> {
  static identifier = CARD_PROVIDER_IDENTIFIER

  /** the options, the PaySys client, the ledger, the schedule and the saved cards */
  protected readonly ctx_: CardProviderContext

  static validateOptions(options: Record<string, unknown>): void {
    parsePaysysOptions(options)
  }

  constructor(container: InjectedDependencies, options: PaysysOptionsInput) {
    super(container, options)
    this.ctx_ = cardProviderContext(parsePaysysOptions(options), container.logger, container.__pg_connection__)
  }

  async initiatePayment(input: InitiatePaymentInput): Promise<InitiatePaymentOutput> {
    return newCardSession(this.ctx_, input)
  }

  async updatePayment(input: UpdatePaymentInput): Promise<UpdatePaymentOutput> {
    return updatedCardSession(input)
  }

  /**
   * Cart completion and processPaymentWorkflow land here. The ledger, not the session data,
   * says which attempts this session made; PaySys (check_payment) says which one took money.
   */
  async authorizePayment(input: AuthorizePaymentInput): Promise<AuthorizePaymentOutput> {
    const current = cardSessionData(input.data)
    return current.saved_card_id
      ? chargeSavedCard(this.ctx_, current)
      : cardStatusFromLedger(this.ctx_, current, { claim: true })
  }

  async getPaymentStatus({ data }: GetPaymentStatusInput): Promise<GetPaymentStatusOutput> {
    return cardStatusFromLedger(this.ctx_, cardSessionData(data), { claim: false })
  }

  async retrievePayment({ data }: RetrievePaymentInput): Promise<RetrievePaymentOutput> {
    const current = cardSessionData(data)
    const attempt = current.submitted_at ? await this.ctx_.ledger.findAttempt(current.partner_trans_id) : null
    if (!attempt) {
      return { data: current }
    }
    return { data: withAttempt(current, await checkCardAttempt(this.ctx_, attempt, "retrieve"), this.ctx_.declines) }
  }

  /** Nothing to capture at PaySys: confirm the money was taken (idempotent). */
  async capturePayment({ data }: CapturePaymentInput): Promise<CapturePaymentOutput> {
    const current = cardSessionData(data)
    const known = await this.ctx_.ledger.retrieveAttempt(current.partner_trans_id)
    const attempt = await checkCardAttempt(this.ctx_, known, "capture")
    if (!tookMoney(attempt)) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `PaySys payment ${attempt.partner_trans_id} is not completed (PaySys status ${attempt.paysys_status})`
      )
    }
    return { data: withAttempt(current, attempt, this.ctx_.declines) }
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

  async refundPayment(input: RefundPaymentInput): Promise<RefundPaymentOutput> {
    return refundCardPayment(this.ctx_, input)
  }

  async getWebhookActionAndData(payload: ProviderWebhookPayload["payload"]): Promise<WebhookActionResult> {
    return webhookAction(this.ctx_, payload)
  }

  async createAccountHolder(input: CreateAccountHolderInput): Promise<CreateAccountHolderOutput> {
    return createAccountHolder(input)
  }

  async updateAccountHolder(_: UpdateAccountHolderInput): Promise<UpdateAccountHolderOutput> {
    return {}
  }

  async deleteAccountHolder(_: DeleteAccountHolderInput): Promise<DeleteAccountHolderOutput> {
    return {}
  }

  async listPaymentMethods(input: ListPaymentMethodsInput): Promise<ListPaymentMethodsOutput> {
    return listPaymentMethods(this.ctx_, input)
  }

  async savePaymentMethod(input: SavePaymentMethodInput): Promise<SavePaymentMethodOutput> {
    return savePaymentMethod(this.ctx_, input)
  }

  async deletePaymentMethod(input: DeletePaymentMethodInput): Promise<DeletePaymentMethodOutput> {
    return deletePaymentMethod(this.ctx_, input)
  }
}
