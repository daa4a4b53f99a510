import { randomBytes, randomInt, timingSafeEqual } from "node:crypto"
import { maskPan } from "../../../src/paysys/card-data"
import { cardBrand, passesLuhn } from "../../../src/paysys/card-rules"
import { assertPaymentAmountWithinLimits, PaysysCurrency } from "../../../src/paysys/currencies"
import { PaysysValidationError } from "../../../src/paysys/errors"
import { CardRegistrationParams, payByIdParams, PreparePaymentParams } from "../../../src/paysys/schemas"
import { z } from "zod"
import { isPaysysErrorStatus, PaysysStatus } from "../../../src/paysys/statuses"
import { SandboxClock } from "./clock"
import { errorBody, PaysysErrorBody, sandboxError, SandboxErrorKey, SANDBOX_ERRORS } from "./errors"
import { CardBehaviour, cardBehaviourOf, declineOf } from "./test-cards"

/*
 * The sandbox's state: payments (by partner_trans_id), saved cards (by card_id), and the
 * state machine that moves them. It never stores a card number or a CVC: a card is kept as
 * its masked PAN, its brand, its expiry month and the test-card behaviour its number selects.
 *
 *   prepare_payment        0 created
 *   3-D Secure page viewed 0 -> 1 awaiting payment
 *   3-D Secure submitted   1 -> 2 completed | -1 error (wrong code, cancelled, 3DS failed, declined)
 *   pay_by_id              -> 2 completed | -1 error (declining card), at once, no 3-D Secure
 *   cancel_payment         2 -> 3 canceled (once, within 7 days, not after a refund)
 *   refund_payment         2|6 -> 6 refund (any number, summing to at most the amount)
 */

/** Cancellation (reversal) is possible within 7 days of the payment (PaySys documentation). */
export const CANCEL_WINDOW_MS = 7 * 24 * 60 * 60 * 1000

/** Statuses whose reaching is announced to the merchant by a status notification. */
export function isNotifiedStatus(status: number): boolean {
  return (
    status === PaysysStatus.COMPLETED ||
    status === PaysysStatus.CANCELED ||
    status === PaysysStatus.REFUNDED ||
    isPaysysErrorStatus(status)
  )
}

/** pay_by_id's `payment_id` ("payment system identifier"): undocumented values, the sandbox's choice. */
export const PAYMENT_SYSTEM_IDS = { visa: 25, mastercard: 26, mir: 27 } as const

export type CardBrand = keyof typeof PAYMENT_SYSTEM_IDS

/** What the sandbox keeps of a card: never the number, never the CVC. */
export type CardSnapshot = {
  masked: string
  brand: CardBrand
  behaviour: CardBehaviour
  /** YYMM */
  expires: string
}

export type HistoryEvent = { at: number; event: string; status: number; detail?: string }

export type CardStatus = "pending" | "active" | "failed" | "removed"

export type CardHistoryEvent = { at: number; event: string; status: CardStatus; detail?: string }

export type Refund = { amount: string; at: number }

export type ThreeDsStep = {
  token: string
  confirmUrl: string
  /** set once the form was submitted: the page cannot be used again */
  usedAt: number | null
}

/** data.3DSECURE */
export type ThreeDsResult = "AUTHENTICATED" | "FAILED" | "CANCELLED" | "NOT_PARTICIPATED" | null

export type Transaction = {
  transactionId: string
  partnerTransId: string
  kind: "3ds" | "saved_card"
  status: number
  amount: string
  currency: PaysysCurrency
  description: string
  vendorId: string
  clientIp: string
  redirectUrl: string | null
  card: CardSnapshot
  cardId: string | null
  threeDs: ThreeDsStep | null
  threeDsResult: ThreeDsResult
  createdAt: number
  completedAt: number | null
  canceledAt: number | null
  rrn: string | null
  approvalCode: string | null
  bankTransactionId: number
  resultCode: string | null
  errObj: PaysysErrorBody | null
  refunds: Refund[]
  history: HistoryEvent[]
}

export type SavedCard = {
  cardId: string
  account: string
  status: CardStatus
  card: CardSnapshot
  /** 40 hex, once 3-D Secure passed; sandbox-only in the control API */
  token: string | null
  threeDs: ThreeDsStep
  error: PaysysErrorBody | null
  createdAt: number
  activatedAt: number | null
  removedAt: number | null
  history: CardHistoryEvent[]
}

export type StateHooks = {
  /** a payment reached a notified status (2, 3, 6, negative); `amount` is the refund's for 6 */
  onPaymentStatus(transaction: Transaction, amount: string): void
  /** a card registration ended (active or failed) */
  onCardRegistration(card: SavedCard): void
}

export type StateConfig = {
  vendorId: string
  threeDsCode: string
  /** read at each call: with port 0 the URL is known only once listening */
  publicUrl: () => string
}

export type ThreeDsSubmission = { action: "confirm" | "cancel"; code: string }

/** The outcome of opening or submitting a 3-D Secure page. */
export type ThreeDsLookup<T> = { found: false } | { found: true; alreadyUsed: boolean; subject: T }

export class SandboxState {
  private readonly transactions = new Map<string, Transaction>() // by partner_trans_id
  private readonly cards = new Map<string, SavedCard>() // by card_id
  private readonly paymentTokens = new Map<string, string>() // 3DS token -> partner_trans_id
  private readonly cardTokens = new Map<string, string>() // 3DS token -> card_id
  private nextTransactionId = 1_000_000 + randomInt(0, 8_000_000)
  private nextBankTransactionId = 100_000_000 + randomInt(0, 800_000_000)

  constructor(
    private readonly config: StateConfig,
    readonly clock: SandboxClock,
    private readonly hooks: StateHooks
  ) {}

  /** A transaction as both ways of paying create it; `how` is what differs. */
  private newTransaction(
    params: {
      partner_trans_id: string
      amount: string
      description: string
      vendor_id: string
      client_ip_addr: string
    },
    currency: PaysysCurrency,
    now: number,
    how: Pick<Transaction, "kind" | "redirectUrl" | "card" | "cardId" | "threeDs" | "threeDsResult">
  ): Transaction {
    return {
      transactionId: String(this.nextTransactionId++),
      partnerTransId: params.partner_trans_id,
      status: PaysysStatus.CREATED,
      amount: params.amount,
      currency,
      description: params.description,
      vendorId: params.vendor_id,
      clientIp: params.client_ip_addr,
      ...how,
      createdAt: now,
      completedAt: null,
      canceledAt: null,
      rrn: null,
      approvalCode: null,
      bankTransactionId: this.nextBankTransactionId++,
      resultCode: null,
      errObj: null,
      refunds: [],
      history: [],
    }
  }

  // ---- payments with 3-D Secure ---------------------------------------------------------

  preparePayment(params: PreparePaymentParams): Transaction {
    this.assertVendor(params.vendor_id)
    const currency = params.currency as PaysysCurrency
    assertLimits(params.amount, currency)
    this.assertNewPartnerTransId(params.partner_trans_id)
    const card = this.inspectCard(params.card_number, params.card_expire)
    const token = randomHex(16)
    const now = this.clock.now()
    const transaction = this.newTransaction(params, currency, now, {
      kind: "3ds",
      redirectUrl: params.redirect_url ?? null,
      card,
      cardId: null,
      threeDs: { token, confirmUrl: `${this.config.publicUrl()}/3ds/payment/${token}`, usedAt: null },
      threeDsResult: null,
    })
    this.transactions.set(transaction.partnerTransId, transaction)
    this.paymentTokens.set(token, transaction.partnerTransId)
    record(transaction, now, "created", "prepare_payment")
    return transaction
  }

  /** GET of the 3-D Secure page: the first view moves 0 -> 1. */
  viewPaymentThreeDs(token: string): ThreeDsLookup<Transaction> {
    const transaction = this.paymentByToken(token)
    if (!transaction?.threeDs) {
      return { found: false }
    }
    const alreadyUsed = transaction.threeDs.usedAt !== null
    if (!alreadyUsed && transaction.status === PaysysStatus.CREATED) {
      transaction.status = PaysysStatus.AWAITING_PAYMENT
      record(transaction, this.clock.now(), "3ds_opened", "the shopper opened the 3-D Secure page")
    }
    return { found: true, alreadyUsed, subject: transaction }
  }

  /** POST of the 3-D Secure form: ends the payment; a used page changes nothing. */
  submitPaymentThreeDs(token: string, submission: ThreeDsSubmission): ThreeDsLookup<Transaction> {
    const transaction = this.paymentByToken(token)
    if (!transaction?.threeDs) {
      return { found: false }
    }
    if (transaction.threeDs.usedAt !== null) {
      return { found: true, alreadyUsed: true, subject: transaction }
    }
    const now = this.clock.now()
    transaction.threeDs.usedAt = now
    const failure = this.threeDsFailure(transaction.card.behaviour, submission)
    if (failure) {
      transaction.threeDsResult = failure === "THREE_DS_CANCELLED" ? "CANCELLED" : "FAILED"
      record(transaction, now, "3ds_failed", SANDBOX_ERRORS[failure].message)
      this.fail(transaction, failure, now)
      return { found: true, alreadyUsed: false, subject: transaction }
    }
    transaction.threeDsResult = "AUTHENTICATED"
    record(transaction, now, "3ds_passed")
    this.authorize(transaction, now)
    return { found: true, alreadyUsed: false, subject: transaction }
  }

  checkPayment(partnerTransId: string): Transaction {
    return this.requireTransaction(partnerTransId)
  }

  // ---- saved cards ----------------------------------------------------------------------

  registerCard(params: CardRegistrationParams): SavedCard {
    const [yy, mm] = params.card_expire.split("/")
    const snapshot = this.inspectCard(params.card_number, `${yy}${mm}`)
    const token = randomHex(16)
    const now = this.clock.now()
    const card: SavedCard = {
      cardId: randomHex(16),
      account: params.account,
      status: "pending",
      card: snapshot,
      token: null,
      threeDs: { token, confirmUrl: `${this.config.publicUrl()}/3ds/card/${token}`, usedAt: null },
      error: null,
      createdAt: now,
      activatedAt: null,
      removedAt: null,
      history: [],
    }
    this.cards.set(card.cardId, card)
    this.cardTokens.set(token, card.cardId)
    recordCard(card, now, "created", "card_registration")
    return card
  }

  viewCardThreeDs(token: string): ThreeDsLookup<SavedCard> {
    const card = this.cardByThreeDsToken(token)
    if (!card) {
      return { found: false }
    }
    const alreadyUsed = card.threeDs.usedAt !== null
    if (!alreadyUsed && !card.history.some((e) => e.event === "3ds_opened")) {
      recordCard(card, this.clock.now(), "3ds_opened")
    }
    return { found: true, alreadyUsed, subject: card }
  }

  submitCardThreeDs(token: string, submission: ThreeDsSubmission): ThreeDsLookup<SavedCard> {
    const card = this.cardByThreeDsToken(token)
    if (!card) {
      return { found: false }
    }
    if (card.threeDs.usedAt !== null) {
      return { found: true, alreadyUsed: true, subject: card }
    }
    const now = this.clock.now()
    card.threeDs.usedAt = now
    const failure = this.threeDsFailure(card.card.behaviour, submission)
    if (failure) {
      card.status = "failed"
      card.error = {
        code: SANDBOX_ERRORS.CARD_REGISTRATION_FAILED.code,
        message: `${SANDBOX_ERRORS.CARD_REGISTRATION_FAILED.message}: ${SANDBOX_ERRORS[failure].message}`,
      }
      recordCard(card, now, "3ds_failed", SANDBOX_ERRORS[failure].message)
    } else {
      card.status = "active"
      card.token = randomHex(20)
      card.activatedAt = now
      recordCard(card, now, "3ds_passed", "token issued")
    }
    this.hooks.onCardRegistration(card)
    return { found: true, alreadyUsed: false, subject: card }
  }

  removeCardToken(cardId: string, cardToken: string): SavedCard {
    const card = this.cards.get(cardId)
    if (!card || card.status === "removed") {
      throw sandboxError("CARD_NOT_FOUND")
    }
    if (card.status !== "active" || !card.token || !sameSecret(card.token, cardToken)) {
      throw sandboxError("CARD_TOKEN_MISMATCH")
    }
    const now = this.clock.now()
    card.status = "removed"
    card.removedAt = now
    recordCard(card, now, "removed", "remove_card_token")
    return card
  }

  /** Charges a saved card at once; a declining card leaves a failed (-1) payment and throws its error. */
  payById(params: z.output<typeof payByIdParams>, cardToken: string | undefined): Transaction {
    this.assertVendor(params.vendor_id)
    const currency = params.currency as PaysysCurrency
    assertLimits(params.amount, currency)
    this.assertNewPartnerTransId(params.partner_trans_id)
    const saved = this.cards.get(params.card_id)
    if (!saved || saved.status === "removed" || saved.status === "failed") {
      throw sandboxError("CARD_NOT_FOUND")
    }
    if (saved.status !== "active" || !saved.token) {
      throw sandboxError("CARD_NOT_ACTIVE")
    }
    if (!cardToken || !sameSecret(saved.token, cardToken)) {
      throw sandboxError("CARD_TOKEN_MISMATCH")
    }
    if (this.isExpired(saved.card.expires)) {
      throw sandboxError("CARD_EXPIRED")
    }
    const now = this.clock.now()
    const transaction = this.newTransaction(params, currency, now, {
      kind: "saved_card",
      redirectUrl: null,
      card: { ...saved.card },
      cardId: saved.cardId,
      threeDs: null,
      threeDsResult: "NOT_PARTICIPATED",
    })
    this.transactions.set(transaction.partnerTransId, transaction)
    record(transaction, now, "created", `pay_by_id with card ${saved.cardId}`)
    this.authorize(transaction, now)
    const decline = declineOf(transaction.card.behaviour)
    if (decline) {
      // the failed payment stays (status -1, notified); the call answers with the decline
      throw sandboxError(decline)
    }
    return transaction
  }

  // ---- cancel and refund ----------------------------------------------------------------

  cancelPayment(partnerTransId: string): Transaction {
    const transaction = this.requireTransaction(partnerTransId)
    if (transaction.status === PaysysStatus.CANCELED) {
      throw sandboxError("TRANSACTION_CANCELED")
    }
    if (transaction.status === PaysysStatus.REFUNDED) {
      throw sandboxError("CANCEL_AFTER_REFUND")
    }
    if (transaction.status !== PaysysStatus.COMPLETED || transaction.completedAt === null) {
      throw sandboxError("CANCEL_NOT_COMPLETED", `the status is ${transaction.status}`)
    }
    const now = this.clock.now()
    if (now - transaction.completedAt > CANCEL_WINDOW_MS) {
      throw sandboxError("CANCEL_WINDOW_CLOSED", "refund it instead")
    }
    transaction.status = PaysysStatus.CANCELED
    transaction.canceledAt = now
    record(transaction, now, "canceled", "cancel_payment")
    this.hooks.onPaymentStatus(transaction, transaction.amount)
    return transaction
  }

  refundPayment(partnerTransId: string, amount: string, currency: string): Transaction {
    const transaction = this.requireTransaction(partnerTransId)
    if (transaction.status === PaysysStatus.CANCELED) {
      throw sandboxError("TRANSACTION_CANCELED")
    }
    if (transaction.status !== PaysysStatus.COMPLETED && transaction.status !== PaysysStatus.REFUNDED) {
      throw sandboxError("REFUND_NOT_COMPLETED", `the status is ${transaction.status}`)
    }
    if (currency.toLowerCase() !== transaction.currency) {
      throw sandboxError("REFUND_CURRENCY_MISMATCH", `the payment is in ${transaction.currency}`)
    }
    const refunded = refundedTotal(transaction)
    const left = BigInt(transaction.amount) - refunded
    if (BigInt(amount) > left) {
      throw sandboxError(
        "REFUND_EXCEEDS_AMOUNT",
        `${left} of ${transaction.amount} minor units can still be refunded, ${amount} were asked`
      )
    }
    const now = this.clock.now()
    transaction.status = PaysysStatus.REFUNDED
    transaction.refunds.push({ amount, at: now })
    record(transaction, now, "refund", `${amount} (${refunded + BigInt(amount)} of ${transaction.amount} refunded)`)
    this.hooks.onPaymentStatus(transaction, amount)
    return transaction
  }

  // ---- control API ----------------------------------------------------------------------

  listTransactions(): Transaction[] {
    return [...this.transactions.values()]
  }

  findTransaction(partnerTransId: string): Transaction | undefined {
    return this.transactions.get(partnerTransId)
  }

  listCards(): SavedCard[] {
    return [...this.cards.values()]
  }

  findCard(cardId: string): SavedCard | undefined {
    return this.cards.get(cardId)
  }

  reset(): void {
    this.transactions.clear()
    this.cards.clear()
    this.paymentTokens.clear()
    this.cardTokens.clear()
  }

  // ---- internals ------------------------------------------------------------------------

  /** The bank's answer to an authenticated charge: approved, or declined by the test card. */
  private authorize(transaction: Transaction, now: number): void {
    transaction.rrn = digits(12)
    const decline = declineOf(transaction.card.behaviour)
    if (decline) {
      this.fail(transaction, decline, now)
      return
    }
    transaction.approvalCode = digits(6)
    transaction.resultCode = "000"
    transaction.status = PaysysStatus.COMPLETED
    transaction.completedAt = now
    record(transaction, now, "completed", `approval ${transaction.approvalCode}`)
    this.hooks.onPaymentStatus(transaction, transaction.amount)
  }

  private fail(transaction: Transaction, reason: SandboxErrorKey, now: number): void {
    const entry = SANDBOX_ERRORS[reason]
    transaction.status = PaysysStatus.ERROR
    transaction.errObj = errorBody(reason)
    transaction.resultCode = "resultCode" in entry ? entry.resultCode : null
    record(transaction, now, "failed", entry.message)
    this.hooks.onPaymentStatus(transaction, transaction.amount)
  }

  private threeDsFailure(behaviour: CardBehaviour, submission: ThreeDsSubmission): SandboxErrorKey | null {
    if (submission.action === "cancel") {
      return "THREE_DS_CANCELLED"
    }
    if (behaviour === "three_ds_fail") {
      return "THREE_DS_FAILED"
    }
    if (!sameSecret(this.config.threeDsCode, submission.code.trim())) {
      return "THREE_DS_WRONG_CODE"
    }
    return null
  }

  /** Checks a card number and keeps only what may be kept. The number goes no further. */
  private inspectCard(cardNumber: string, expiresYYMM: string): CardSnapshot {
    if (!passesLuhn(cardNumber)) {
      throw sandboxError("CARD_NUMBER_INVALID")
    }
    const brand = cardBrand(cardNumber)
    if (!brand) {
      throw sandboxError("CARD_BRAND_UNSUPPORTED")
    }
    if (this.isExpired(expiresYYMM)) {
      throw sandboxError("CARD_EXPIRED")
    }
    return { masked: maskPan(cardNumber), brand, behaviour: cardBehaviourOf(cardNumber), expires: expiresYYMM }
  }

  /** A card is valid through the last day of its expiry month (UTC, sandbox clock). */
  private isExpired(expiresYYMM: string): boolean {
    const year = 2000 + Number(expiresYYMM.slice(0, 2))
    const month = Number(expiresYYMM.slice(2, 4)) // 1-12
    const firstInvalidDay = Date.UTC(year, month, 1) // Date.UTC months are 0-based: this is the next month
    return this.clock.now() >= firstInvalidDay
  }

  private assertVendor(vendorId: string): void {
    if (vendorId !== this.config.vendorId) {
      throw sandboxError("VENDOR_MISMATCH")
    }
  }

  private assertNewPartnerTransId(partnerTransId: string): void {
    if (this.transactions.has(partnerTransId)) {
      throw sandboxError("DUPLICATE_PARTNER_TRANS_ID")
    }
  }

  private requireTransaction(partnerTransId: string): Transaction {
    const transaction = this.transactions.get(partnerTransId)
    if (!transaction) {
      throw sandboxError("TRANSACTION_NOT_FOUND")
    }
    return transaction
  }

  private paymentByToken(token: string): Transaction | undefined {
    const partnerTransId = this.paymentTokens.get(token)
    return partnerTransId === undefined ? undefined : this.transactions.get(partnerTransId)
  }

  private cardByThreeDsToken(token: string): SavedCard | undefined {
    const cardId = this.cardTokens.get(token)
    return cardId === undefined ? undefined : this.cards.get(cardId)
  }
}

export function refundedTotal(transaction: Transaction): bigint {
  return transaction.refunds.reduce((sum, refund) => sum + BigInt(refund.amount), 0n)
}

function assertLimits(amount: string, currency: PaysysCurrency): void {
  try {
    assertPaymentAmountWithinLimits(amount, currency)
  } catch (error) {
    if (error instanceof PaysysValidationError) {
      throw sandboxError("AMOUNT_OUT_OF_LIMITS", error.message)
    }
    throw error
  }
}

function record(transaction: Transaction, at: number, event: string, detail?: string): void {
  transaction.history.push({ at, event, status: transaction.status, ...(detail ? { detail } : {}) })
}

function recordCard(card: SavedCard, at: number, event: string, detail?: string): void {
  card.history.push({ at, event, status: card.status, ...(detail ? { detail } : {}) })
}

function randomHex(bytes: number): string {
  return randomBytes(bytes).toString("hex")
}

function digits(count: number): string {
  let out = String(randomInt(1, 10))
  while (out.length < count) {
    out += String(randomInt(0, 10))
  }
  return out
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected)
  const b = Buffer.from(given)
  return a.length === b.length && timingSafeEqual(a, b)
}
