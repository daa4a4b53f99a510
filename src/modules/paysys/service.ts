import type { Knex } from "knex"
import { ConfigModule, Logger } from "@medusajs/framework/types"
import { MedusaError, MedusaService } from "@medusajs/framework/utils"
import { CardRegistrationNotification, PaysysClient, PaysysCurrency } from "../../paysys"
import { NewNotification, RecordedNotification } from "./notification-insert"
import { NotificationLog, NotificationState, NotificationStateChanges } from "./notification-log"
import { cardFingerprint, cardFingerprintKey } from "./card-fingerprint"
import { CardVelocity } from "./card-velocity"
import { LimiterStore } from "./limiter-store"
import { PaysysCallBudget } from "./paysys-call-budget"
import { CardDetails, registerCard } from "./register-card"
import { CardRegistrationOutcome, SavedCardStore } from "./saved-card-store"
import { paysysRuntime } from "./paysys-runtime"
import { PaysysOptions } from "./card-options"
import { PaysysFormOptions } from "./form-options"
import { Schedule } from "./look-schedule"
import { FormStatusReader } from "./form-attempt-check"
import PaysysAlert from "./models/paysys-alert"
import PaysysAttempt from "./models/paysys-attempt"
import PaysysFormSignature from "./models/paysys-form-signature"
import PaysysNotification from "./models/paysys-notification"
import PaysysReconcileRun from "./models/paysys-reconcile-run"
import PaysysRefund from "./models/paysys-refund"
import PaysysSavedCard from "./models/paysys-saved-card"
import PaysysSavedCardSession from "./models/paysys-saved-card-session"
import {
  cardGatewayNotConfigured,
  PaysysModuleOptions,
  PaysysModuleOptionsInput,
  parsePaysysModuleOptions,
} from "./options"
import { PaymentLedger } from "./payment-ledger"
import { NeedsYou } from "./needs-you"
import { ReconcileRuns } from "./reconcile-runs"
import { LedgerReport } from "./ledger-report"
import { FormSignatures, signatureKeptMs } from "./form-signatures"

type InjectedDependencies = { logger: Logger; __pg_connection__: Knex; configModule: ConfigModule }

export type CardPaymentAttempt = {
  partnerTransId: string
  amount: string
  currency: PaysysCurrency
  clientIp: string
  redirectUrl: string
}

/**
 * The plugin's own module: PaySys for the plugin's routes, subscribers and jobs, which
 * cannot reach the payment provider inside the Payment Module, and the notifications
 * PaySys sent. It takes the plugin's options: the card provider's (its gateway credentials
 * only when the store takes cards host-to-host) and the form provider's as `form`.
 */
export default class PaysysModuleService extends MedusaService({
  PaysysAlert,
  PaysysAttempt,
  PaysysFormSignature,
  PaysysNotification,
  PaysysReconcileRun,
  PaysysRefund,
  PaysysSavedCard,
  PaysysSavedCardSession,
}) {
  /** the card gateway's client; null in a store on the hosted form only */
  readonly client: PaysysClient | null
  readonly options: PaysysModuleOptions["options"]
  /** the card gateway's options, when the store takes cards host-to-host */
  readonly cardOptions: PaysysOptions | null
  /** what PaySys holds: every attempt, refund and reversal, written before the call */
  readonly ledger: PaymentLedger
  /** what waits for the merchant, and the alerts sent about it */
  readonly needsYou: NeedsYou
  /** the reconciliation job's runs, and its health */
  readonly reconcileRuns: ReconcileRuns
  /** the ledger's payments and refunds as the PaySys page lists and exports them */
  readonly report: LedgerReport
  readonly schedule: Schedule
  /** the hosted form's options (the plugin option `form`), when the store offers the form */
  readonly formOptions: PaysysFormOptions | null
  /** the form's status API, for checking form attempts */
  readonly formStatus: FormStatusReader | null
  /** the form callbacks' accepted signatures: each for one call only */
  readonly formSignatures: FormSignatures
  protected readonly savedCards_: SavedCardStore
  /** the module's own connection (pool), for the statements the ORM would only slow down */
  protected readonly db_: Knex
  /** the notifications PaySys sent: recorded, read and updated in plain statements */
  protected readonly notifications_: NotificationLog
  /** rate-limit counters every server sees (Redis, else the database) */
  protected readonly limiterStore_: LimiterStore
  protected velocity_: CardVelocity | null = null
  protected callBudget_: PaysysCallBudget | null = null
  /** derived from the card gateway's secret when a card is first fingerprinted */
  protected fingerprintKey_: Buffer | null = null

  constructor(container: InjectedDependencies, options: PaysysModuleOptionsInput) {
    // eslint-disable-next-line prefer-rest-params
    super(...arguments)
    const parsed = parsePaysysModuleOptions(options)
    this.options = parsed.options
    this.cardOptions = parsed.card
    this.db_ = container.__pg_connection__
    const runtime = paysysRuntime({
      schedule: this.options,
      card: parsed.card,
      form: parsed.form,
      logger: container.logger,
      db: this.db_,
    })
    this.client = runtime.client
    this.ledger = runtime.ledger
    this.schedule = runtime.schedule
    this.formStatus = runtime.formStatus
    this.formOptions = parsed.form
    this.notifications_ = new NotificationLog(this.db_)
    this.savedCards_ = SavedCardStore.from(this.db_, this.options.cardTokenKey)
    this.needsYou = new NeedsYou(this.db_)
    this.reconcileRuns = new ReconcileRuns(this.db_)
    this.report = new LedgerReport(this.db_, this.options.reportTimeZone)
    this.formSignatures = new FormSignatures(this.db_)
    this.limiterStore_ = new LimiterStore(container.configModule?.projectConfig?.redisUrl, this.db_)
  }

  /**
   * The server is shutting down: background work takes on nothing new, and what it leaves stays
   * due for the next run on any server. Medusa waits for a running job or subscriber to end first.
   */
  stopping = false

  __hooks = {
    onApplicationPrepareShutdown: async () => {
      this.stopping = true
    },
    onApplicationShutdown: () => this.limiterStore_.close(),
  }

  /** PaySys calls background work may make, counted with the card limits' counters (all servers share them). */
  callBudget(): PaysysCallBudget {
    this.callBudget_ ??= new PaysysCallBudget(this.limiterStore_, this.options.backgroundCallsPerMinute)
    return this.callBudget_
  }

  /** The card-testing defences, or null when the `limits` option turns them off. */
  cardVelocity(): CardVelocity | null {
    if (!this.options.limits.enabled) {
      return null
    }
    this.velocity_ ??= CardVelocity.create(this.limiterStore_, this.options.limits, this.options.captcha)
    return this.velocity_
  }

  /** A card's fingerprint for its rate limits (a keyed hash of its number; see cardFingerprint). */
  cardFingerprint(cardNumber: string): string {
    const { options } = this.cardGateway()
    this.fingerprintKey_ ??= cardFingerprintKey(`${options.secretKey}:${options.serviceId}`)
    return cardFingerprint(this.fingerprintKey_, cardNumber)
  }

  /** The card gateway, or an error naming the options it needs. */
  cardGateway(): { client: PaysysClient; options: PaysysOptions } {
    if (!this.client || !this.cardOptions) {
      throw cardGatewayNotConfigured()
    }
    return { client: this.client, options: this.cardOptions }
  }

  /** Starts saving a customer's card (see registerCard); errors are PaySys's or MedusaErrors. */
  async registerCard(customerId: string, card: CardDetails) {
    const { client } = this.cardGateway()
    this.savedCards_.assertSavingEnabled()
    return registerCard(client, this.savedCards_, customerId, card)
  }

  /** Expires card registrations pending longer than the pendingCardTtlSeconds option (see SavedCardStore.expirePending). */
  expirePendingCards(): Promise<number> {
    return this.savedCards_.expirePending(new Date(Date.now() - this.options.pendingCardTtlSeconds * 1000))
  }

  /**
   * Purges form callback signatures too old to be replayed (see signatureKeptMs): only while the
   * form's SIGN_TIME freshness check is on; without it every signature is kept.
   */
  purgeFormSignatures(now = Date.now()): Promise<number> {
    const keptMs = this.formOptions ? signatureKeptMs(this.formOptions.signTimeMaxSkewMs) : null
    return keptMs === null ? Promise.resolve(0) : this.formSignatures.purge(new Date(now - keptMs))
  }

  /** A card of this customer, or a 404: another customer's card id is as good as unknown. */
  async retrieveOwnedCard(id: string, customerId: string) {
    const card = await this.savedCards_.findOwned(id, customerId)
    if (!card) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Saved card ${id} was not found`)
    }
    return card
  }

  /**
   * partner.notify: there is no PaySys call to confirm it, so only a card this store
   * registered, still pending, can change; its token is stored encrypted before the
   * callback is acknowledged, and is in no log, record or answer.
   */
  applyCardRegistration({ params }: CardRegistrationNotification): Promise<CardRegistrationOutcome> {
    return params.stat === "SUCCESS"
      ? this.savedCards_.activate(params.id, params.token, params.pan)
      : this.savedCards_.fail(params.id, params.code, params.message)
  }

  /** The one place a card goes: straight to PaySys, never stored or logged. */
  prepareCardPayment(card: CardDetails, attempt: CardPaymentAttempt) {
    const { client, options } = this.cardGateway()
    return client.preparePayment({
      card_holder_name: card.card_holder_name,
      card_number: card.card_number,
      card_expire: `${card.card_expiry.year}${card.card_expiry.month}`,
      card_cvc: card.card_cvc,
      amount: attempt.amount,
      currency: attempt.currency,
      vendor_id: options.vendorId,
      partner_trans_id: attempt.partnerTransId,
      client_ip_addr: attempt.clientIp,
      description: options.paymentDescription,
      redirect_url: attempt.redirectUrl,
    })
  }

  /** Records a notification, or counts a repeated delivery (see NotificationLog.record). */
  recordNotification(input: NewNotification): Promise<RecordedNotification> {
    return this.notifications_.record(input)
  }

  /** Resolves once no notification has come for `quietMs`, or at `latest` (see NotificationLog.quiet). */
  notificationsQuiet(quietMs: number, latest: number): Promise<void> {
    return this.notifications_.quiet(quietMs, latest)
  }

  /** What processing reads of a notification, in one statement (see NotificationLog.retrieveState). */
  retrieveNotificationState(id: string): Promise<NotificationState> {
    return this.notifications_.retrieveState(id)
  }

  /** Writes what processing concluded, in one statement. */
  updateNotificationState(id: string, changes: NotificationStateChanges): Promise<void> {
    return this.notifications_.updateState(id, changes)
  }
}

export type { CardDetails, NewNotification, NotificationState, NotificationStateChanges, RecordedNotification }
