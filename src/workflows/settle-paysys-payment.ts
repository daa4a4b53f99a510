import type { Knex } from "knex"
import { BigNumberInput, MedusaContainer } from "@medusajs/framework/types"
import {
  ContainerRegistrationKeys,
  MathBN,
  Modules,
  PaymentActions,
  PaymentSessionStatus,
} from "@medusajs/framework/utils"
import {
  completeCartWorkflow,
  createPaymentSessionsWorkflow,
  processPaymentWorkflow,
  refundPaymentWorkflow,
} from "@medusajs/medusa/core-flows"
import { PAYSYS_MODULE, PaysysModuleService } from "../modules/paysys"
import { backoffAt, notBeforeRetryAfter } from "../modules/paysys/look-schedule"
import { checkAttempt } from "../modules/paysys/check-attempt"
import { resolveRefundsInFlight, reverseAttempt, sumAccepted } from "../modules/paysys/attempt-refunds"
import { Attempt, entry } from "../modules/paysys/payment-ledger"
import { SavedCardBinding } from "../modules/paysys/saved-card-binding"
import { PaysysRateLimitedError, PaysysStatus } from "../paysys"
import { fromPaysysAmount, toPaysysAmount } from "../modules/paysys/money"
import { readSessionData, sessionIdOfAttempt, withAttempt } from "../providers/paysys/session-data"
import { cartOfCollection, isOrderCollection } from "./cart-of-collection"
import { collectionLockKey } from "./lock-keys"

/** What settling an attempt concluded; kept on the notification and the attempt for the merchant. */
export type SettleOutcome =
  | "captured" // the order was placed (or its payment captured) from PaySys's word
  | "already_captured"
  | "order_placed" // captured earlier, but the cart was not completed (a crash between the two)
  | "pending" // still waiting for the shopper or the bank
  | "abandoned" // waiting past abandonAfterSeconds: the session asks the shopper again
  | "failed"
  | "never_sent" // PaySys never received it
  | "reversal_scheduled" // paid, but no order can use it: given back after the grace period
  | "reversed" // given back (a second payment of one cart, a changed or completed cart...)
  | "reversal_pending" // PaySys has not confirmed giving it back yet, or refused: tried again
  | "refund_noted" // PaySys reports a refund or reversal the ledger explains
  | "refund_recorded" // a reversal made at PaySys, recorded as a Medusa refund
  | "refund_unexplained" // PaySys reports a refund Medusa did not make: for the merchant to record
  | "attention" // parked for the merchant
  | "unknown_payment" // not in this store's ledger (a forged id, another store on the account)

/**
 * Brings a PaySys attempt to its end, from check_payment only: whatever a callback claimed is
 * a hint that something changed. An attempt not in the ledger is not this store's and is never
 * touched. Safe to run any number of times, concurrently, from a callback, the job or several
 * servers: it works under the cart's payment collection lock, and every step looks at what is
 * done already. Every paid attempt ends as one order's captured payment, or given back.
 */
export async function settlePaysysPayment(
  container: MedusaContainer,
  partnerTransId: string,
  { paymentCollectionId, fromJob = false }: SettleOptions = {}
): Promise<SettleOutcome> {
  const paysys = container.resolve<PaysysModuleService>(PAYSYS_MODULE)
  const collection = paymentCollectionId ?? (await paysys.ledger.findAttempt(partnerTransId))?.payment_collection_id
  if (!collection) {
    return "unknown_payment"
  }
  return container
    .resolve(Modules.LOCKING)
    .execute(collectionLockKey(collection), () => settleLocked(container, paysys, partnerTransId, fromJob), {
      timeout: 30,
    })
}

export type SettleOptions = {
  /** known already (the job's due list): saves a read before the lock */
  paymentCollectionId?: string
  /**
   * the job settles attempts whose callback never came: a declined one is not written on its
   * session (the shopper learns it on completing the cart), which keeps each look cheap
   */
  fromJob?: boolean
}

async function settleLocked(
  container: MedusaContainer,
  paysys: PaysysModuleService,
  partnerTransId: string,
  fromJob: boolean
): Promise<SettleOutcome> {
  const { ledger, client, schedule } = paysys
  const checked = await checkAttempt(
    client,
    ledger,
    await ledger.retrieveAttempt(partnerTransId),
    schedule,
    "settle",
    paysys.formStatus
  )
  const attempt = await ledger.recordCapture(checked)
  switch (attempt.state) {
    case "paid":
      return settlePaid(container, paysys, attempt)
    case "captured":
      return settleCaptured(container, paysys, attempt)
    case "reversing":
      return outcomeOfReversal(await reverseAttempt({ client, ledger, schedule }, attempt))
    case "failed":
      if (!fromJob) {
        await markSessionIfCurrent(container, attempt, PaymentSessionStatus.ERROR)
      }
      return "failed"
    case "never_sent":
      if (!fromJob) {
        await markSessionIfCurrent(container, attempt, PaymentSessionStatus.REQUIRES_MORE)
      }
      return "never_sent"
    case "reversed":
      return "reversed"
    case "attention":
      return "attention"
    default:
      if (Date.now() - attempt.created_at.getTime() > paysys.options.abandonAfterSeconds * 1000) {
        // the shopper left the 3-D Secure page: the session asks again; the ledger keeps looking
        await markSessionIfCurrent(container, attempt, PaymentSessionStatus.REQUIRES_MORE)
        return "abandoned"
      }
      return "pending"
  }
}

/**
 * PaySys took the money. Already an order's payment: say so. Its cart can still be completed
 * for this amount: complete it with this attempt (in a new session if the shopper's was
 * deleted or re-created). Otherwise no order can use it: give it back after the grace period.
 */
async function settlePaid(
  container: MedusaContainer,
  paysys: PaysysModuleService,
  attempt: Attempt
): Promise<SettleOutcome> {
  const { ledger, schedule } = paysys
  const others = await ledger.otherMedusaPaymentsIn(attempt)
  const blocker = await whyNoOrderCanUse(container, attempt, others.length > 0)
  if (!blocker && others.length) {
    // the cart is paid with another payment, whose order a failed completion may still lack
    await settleOtherPayments(container, paysys, others)
    return scheduleReversal(paysys, attempt, "second_payment")
  }
  if (!blocker && (await ledger.claimedOther(attempt))) {
    // a completion (the shopper's) took another attempt of the cart a moment ago: its payment
    // is on its way; this one is looked at again once it is there, and becomes a second payment
    await ledger.updateAttempt(attempt.partner_trans_id, {
      next_check_at: new Date(Date.now() + schedule.firstCheckMs),
    })
    return "pending"
  }
  if (!blocker) {
    const sessionId = await sessionToComplete(container, paysys, attempt)
    await processPaymentWorkflow(container).run({
      input: {
        action: PaymentActions.SUCCESSFUL,
        data: { session_id: sessionId, amount: fromPaysysAmount(attempt.amount, attempt.currency) },
      },
    })
    const attached = await ledger.recordCapture(await ledger.retrieveAttempt(attempt.partner_trans_id))
    if (attached.state === "captured") {
      // its order too: completing the cart may have failed after the capture
      return settleCaptured(container, paysys, attached).then((outcome) =>
        outcome === "already_captured" ? "captured" : outcome
      )
    }
    // another paid attempt of the session became its payment: this one is a second payment
    return scheduleReversal(paysys, attached, "second_payment")
  }
  return scheduleReversal(paysys, attempt, blocker)

  async function scheduleReversal(paysys: PaysysModuleService, paid: Attempt, reason: string): Promise<SettleOutcome> {
    const graceEnds = (paid.paid_at ?? new Date()).getTime() + schedule.reverseAfterMs
    if (Date.now() < graceEnds) {
      await ledger.updateAttempt(
        paid.partner_trans_id,
        { outcome: reason, next_check_at: new Date(graceEnds) },
        entry("reversal scheduled", null, reason)
      )
      return "reversal_scheduled"
    }
    const claimedBefore = new Date(Date.now() - schedule.reverseAfterMs)
    if (!(await ledger.startReversal(paid.partner_trans_id, claimedBefore, reason))) {
      // a cart completion took it a moment ago: look again soon
      await ledger.updateAttempt(paid.partner_trans_id, { next_check_at: new Date(Date.now() + schedule.firstCheckMs) })
      return "pending"
    }
    // the last word before money goes back: a payment made meanwhile keeps it
    const reversing = await ledger.recordCapture(await ledger.retrieveAttempt(paid.partner_trans_id))
    if (reversing.state === "captured") {
      return settleCaptured(container, paysys, reversing)
    }
    return outcomeOfReversal(await reverseAttempt({ client: paysys.client, ledger, schedule }, reversing))
  }
}

/**
 * Settles the PaySys attempts behind the collection's other payments (already under its lock).
 * One that fails now is looked at again by the job, not left to its own schedule; over PaySys's
 * request limit (429) it waits for Retry-After, and the error goes on so that background work
 * pauses rather than calling PaySys again at once.
 */
async function settleOtherPayments(
  container: MedusaContainer,
  paysys: PaysysModuleService,
  payments: { partner_trans_id: string | null }[]
) {
  for (const { partner_trans_id } of payments) {
    const other = partner_trans_id ? await paysys.ledger.findAttempt(partner_trans_id) : null
    if (!other) {
      continue // another provider's payment
    }
    await settleLocked(container, paysys, other.partner_trans_id, false).catch(async (error: Error) => {
      const next_check_at = notBeforeRetryAfter(new Date(), error)
      await paysys.ledger.updateAttempt(
        other.partner_trans_id,
        { next_check_at },
        entry("settling failed", null, error.message)
      )
      if (error instanceof PaysysRateLimitedError) {
        throw error
      }
    })
  }
}

/**
 * Why the attempt's cart cannot be completed with it, or null when it can. `paidOtherwise`: the
 * collection holds a live payment of something else. A saved card's attempt also needs the cart
 * to be as its session was bound to (SavedCardBinding.cartChangedSince).
 */
async function whyNoOrderCanUse(
  container: MedusaContainer,
  attempt: Attempt,
  paidOtherwise: boolean
): Promise<string | null> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const cartId = await cartOfCollection(container, attempt.payment_collection_id)
  const { data: carts } = cartId
    ? await query.graph({ entity: "cart", fields: ["id", "completed_at"], filters: { id: cartId } })
    : { data: [] }
  if (!carts[0]) {
    return "cart_gone"
  }
  const { data: orders } = await query.graph({
    entity: "order_cart",
    fields: ["order_id"],
    filters: { cart_id: cartId },
  })
  if (orders.length || carts[0].completed_at) {
    // Medusa creates the order, and links it to the cart's collection, before it authorizes the
    // payment: an order of this collection with no payment yet may be this attempt's own
    if (paidOtherwise || !(await isOrderCollection(container, attempt.payment_collection_id))) {
      return "cart_completed_otherwise"
    }
  }
  const [collection] = await container
    .resolve(Modules.PAYMENT)
    .listPaymentCollections({ id: attempt.payment_collection_id }, { select: ["id", "amount", "currency_code"] })
  const due = collection ? toPaysysAmount(collection.amount, collection.currency_code) : null
  if (!due || due.currency !== attempt.currency || due.amount !== attempt.amount) {
    return "cart_total_changed"
  }
  if (attempt.kind === "saved_card") {
    // a saved card pays for the total and address its owner chose, whoever completes the cart
    const binding = new SavedCardBinding(container.resolve<Knex>(ContainerRegistrationKeys.PG_CONNECTION))
    return binding.cartChangedSince(sessionIdOfAttempt(attempt.partner_trans_id), cartId!, attempt)
  }
  return null
}

/**
 * The session to complete the cart with: the attempt's own, if it is still the cart's PaySys
 * session; otherwise a new PaySys session, which Medusa's workflow makes the cart's only one,
 * adopting the paid attempt.
 */
async function sessionToComplete(
  container: MedusaContainer,
  paysys: PaysysModuleService,
  attempt: Attempt
): Promise<string> {
  const [own] = await container
    .resolve(Modules.PAYMENT)
    .listPaymentSessions(
      { id: attempt.session_id, payment_collection_id: attempt.payment_collection_id },
      { select: ["id"] }
    )
  if (own) {
    return own.id
  }
  const { result } = await createPaymentSessionsWorkflow(container).run({
    input: { payment_collection_id: attempt.payment_collection_id, provider_id: attempt.provider_id },
  })
  await paysys.ledger.updateAttempt(
    attempt.partner_trans_id,
    { session_id: result.id },
    entry("adopted by a new payment session", null, result.id)
  )
  return result.id
}

/**
 * An order's payment. A reversal made at PaySys is the whole payment and becomes a Medusa
 * refund of what is left; a refund the ledger cannot explain is shown to the merchant, who
 * records it with its amount: it is never booked from a notification.
 */
async function settleCaptured(
  container: MedusaContainer,
  paysys: PaysysModuleService,
  attempt: Attempt
): Promise<SettleOutcome> {
  const { ledger, client, schedule } = paysys
  const ambiguous = await resolveRefundsInFlight({ client, ledger, schedule }, attempt)
  const bookLater = await bookRefundsPaysysMade(container, paysys, attempt)
  const rows = await ledger.listRefunds(attempt.id)
  // a call that may still reach PaySys, or whose answer is lost but not old enough to judge
  const inFlight = rows.some(
    (row) => (row.state === "sending" || row.state === "unknown") && !ambiguous.some((a) => a.id === row.id)
  )
  let outcome: SettleOutcome
  if (
    attempt.paysys_status === PaysysStatus.CANCELED &&
    !rows.some((row) => row.kind === "cancel" && row.state === "accepted")
  ) {
    outcome = await recordReversalMadeAtPaysys(container, paysys, attempt)
  } else if (
    attempt.paysys_status === PaysysStatus.REFUNDED &&
    sumAccepted(rows) === 0n &&
    !ambiguous.length &&
    !inFlight
  ) {
    await ledger.updateAttempt(
      attempt.partner_trans_id,
      { outcome: "refund_unexplained" },
      entry("PaySys reports a refund Medusa did not make: record it with its amount in the order's PaySys panel")
    )
    outcome = "refund_unexplained"
  } else if (attempt.paysys_status === PaysysStatus.COMPLETED) {
    outcome = await placeOrderIfMissing(container, paysys, attempt)
  } else {
    outcome = "refund_noted"
  }
  // settled: nothing to look at until PaySys says something new (a notification, a refresh)
  const graceEnds = new Date((attempt.paid_at ?? new Date()).getTime() + schedule.reverseAfterMs)
  const next = inFlight ? backoffAt(schedule, attempt.checks) : outcome === "reversal_scheduled" ? graceEnds : bookLater
  await ledger.updateAttempt(attempt.partner_trans_id, { next_check_at: next })
  return outcome
}

/**
 * Refunds the plugin sent whose answer was lost, and that PaySys's status shows were made:
 * their amount is the ledger's own, so Medusa records them (the provider books the ledger row
 * of that amount and sends nothing). Left a moment after their answer, for an admin's retry to
 * take first. Answers when to look again for those not due yet.
 */
async function bookRefundsPaysysMade(
  container: MedusaContainer,
  paysys: PaysysModuleService,
  attempt: Attempt
): Promise<Date | null> {
  const margin = paysys.schedule.sendMarginMs
  const unbooked = (await paysys.ledger.listUnbookedRefunds(attempt.id, margin)).filter(
    (row) => row.origin === "medusa"
  )
  const due = unbooked.filter((row) => Date.now() - row.updated_at.getTime() >= margin)
  const paymentModule = container.resolve(Modules.PAYMENT)
  for (const row of due) {
    const payment = await paymentModule.retrievePayment(attempt.payment_id!, {
      select: ["id", "amount"],
      relations: ["refunds"],
    })
    const recorded = (payment.refunds ?? []).reduce((sum, refund) => MathBN.add(sum, refund.amount), MathBN.convert(0))
    if (MathBN.gt(MathBN.add(recorded, fromPaysysAmount(row.amount, attempt.currency)), payment.amount)) {
      // Medusa holds more than this would leave: shown to the merchant, never forced in
      continue
    }
    await recordMedusaRefund(
      container,
      attempt,
      fromPaysysAmount(row.amount, attempt.currency),
      "Refunded at PaySys (its answer was lost); recorded by the PaySys plugin"
    )
  }
  const waiting = unbooked.filter((row) => !due.includes(row)).map((row) => row.updated_at.getTime() + margin)
  return waiting.length ? new Date(Math.min(...waiting)) : null
}

async function recordReversalMadeAtPaysys(
  container: MedusaContainer,
  paysys: PaysysModuleService,
  attempt: Attempt
): Promise<SettleOutcome> {
  const payment = await container
    .resolve(Modules.PAYMENT)
    .retrievePayment(attempt.payment_id!, { select: ["id", "amount", "currency_code"], relations: ["refunds"] })
  const refunded = (payment.refunds ?? []).reduce((sum, refund) => MathBN.add(sum, refund.amount), MathBN.convert(0))
  const left = MathBN.sub(payment.amount, refunded)
  if (MathBN.lte(left, 0)) {
    return "refund_noted"
  }
  const { amount } = toPaysysAmount(left, payment.currency_code)
  // the ledger row first: the provider books it instead of sending anything
  await paysys.ledger.createRefund({
    attempt_id: attempt.id,
    partner_trans_id: attempt.partner_trans_id,
    key: `external-reversal:${attempt.partner_trans_id}`,
    kind: "cancel",
    origin: "external",
    amount,
    currency: attempt.currency,
    start: "made_at_paysys",
    status_before: PaysysStatus.CANCELED,
  })
  await recordMedusaRefund(container, attempt, left, "Reversed at PaySys; recorded by the PaySys plugin")
  return "refund_recorded"
}

/**
 * A payment captured in Medusa whose cart has no order (the server stopped between the two
 * steps of processPaymentWorkflow, or the shopper re-created the session meanwhile): complete
 * the cart with that payment. Medusa completes a cart with its first session, so the session
 * holding the payment becomes the only one (removing the others sends nothing to PaySys); if a
 * new-session call deleted it, a new session adopts the attempt.
 */
async function placeOrderIfMissing(
  container: MedusaContainer,
  paysys: PaysysModuleService,
  attempt: Attempt
): Promise<SettleOutcome> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const cartId = await cartOfCollection(container, attempt.payment_collection_id)
  if (!cartId) {
    return giveBackOrderless(container, paysys, attempt)
  }
  const { data: orders } = await query.graph({
    entity: "order_cart",
    fields: ["order_id"],
    filters: { cart_id: cartId },
  })
  if (orders.length) {
    return "already_captured"
  }
  const { data: carts } = await query.graph({
    entity: "cart",
    fields: ["payment_collection.id"],
    filters: { id: cartId },
  })
  if (carts[0]?.payment_collection?.id !== attempt.payment_collection_id) {
    // the cart pays through another collection now: this payment can never complete it
    return giveBackOrderless(container, paysys, attempt)
  }
  // the ledger holds the session of the payment (recordCapture)
  const paymentModule = container.resolve(Modules.PAYMENT)
  const sessions = await paymentModule.listPaymentSessions(
    { payment_collection_id: attempt.payment_collection_id },
    { select: ["id"] }
  )
  if (!sessions.some((session) => session.id === attempt.session_id)) {
    return adoptAgain(container, paysys, attempt)
  }
  for (const session of sessions.filter((session) => session.id !== attempt.session_id)) {
    await paymentModule.deletePaymentSession(session.id)
  }
  const [own] = await paymentModule.listPaymentSessions({ id: attempt.session_id }, { select: ["id", "status"] })
  if (!own || !COMPLETABLE_STATUSES.includes(own.status)) {
    // Medusa cannot complete the cart with it (the shopper's calls left it unusable): give it back
    return giveBackOrderless(container, paysys, attempt)
  }
  await completeCartWorkflow(container).run({ input: { id: cartId } })
  return "order_placed"
}

/**
 * Records a Medusa refund of a payment: through Medusa's refund workflow when an order holds the
 * payment (its transactions follow), through the Payment Module when none does (the workflow
 * needs an order). Either way the provider books what PaySys already did and sends nothing.
 */
async function recordMedusaRefund(container: MedusaContainer, attempt: Attempt, amount: BigNumberInput, note: string) {
  if (await isOrderCollection(container, attempt.payment_collection_id)) {
    await refundPaymentWorkflow(container).run({ input: { payment_id: attempt.payment_id!, amount, note } })
  } else {
    await container.resolve(Modules.PAYMENT).refundPayment({ payment_id: attempt.payment_id!, amount, note })
  }
}

/** The session statuses Medusa completes a cart with (core-flows' validateCartPaymentsStep). */
const COMPLETABLE_STATUSES: string[] = [
  PaymentSessionStatus.PENDING,
  PaymentSessionStatus.REQUIRES_MORE,
  PaymentSessionStatus.AUTHORIZED,
  PaymentSessionStatus.CAPTURED,
  PaymentSessionStatus.PENDING_AUTHORIZATION,
]

/**
 * Medusa deletes a payment session for good, so a payment whose session the shopper's calls
 * deleted can never complete the cart. Unless a refund was ever sent on it, that Medusa payment
 * is set aside (PaySys is not called) and the attempt is settled as paid again: a new session
 * adopts it and completes the cart.
 */
async function adoptAgain(
  container: MedusaContainer,
  paysys: PaysysModuleService,
  attempt: Attempt
): Promise<SettleOutcome> {
  const paymentModule = container.resolve(Modules.PAYMENT)
  const payment = await paymentModule.retrievePayment(attempt.payment_id!, { select: ["id"], relations: ["refunds"] })
  // a refund made, on its way, or waiting to be booked belongs to that payment: it stays
  const refunds = (await paysys.ledger.listRefunds(attempt.id)).filter((row) => row.state !== "refused")
  if (payment.refunds?.length || refunds.length) {
    return giveBackOrderless(container, paysys, attempt)
  }
  // generated by MedusaService for every model of the module, not declared on its interface
  await (paymentModule as unknown as DeletablePayments).softDeletePayments([payment.id])
  const paid = await paysys.ledger.updateAttempt(
    attempt.partner_trans_id,
    { event: "medusa_payment_set_aside", payment_id: null, outcome: null },
    entry("its Medusa payment lost its session: set aside for a new one", null, payment.id)
  )
  return settlePaid(container, paysys, paid)
}

type DeletablePayments = { softDeletePayments(ids: string[]): Promise<unknown> }

/**
 * A captured payment whose collection no cart pays through any more (the shopper's calls
 * replaced it) and no order uses: no order can ever be placed with it. After the grace period it is refunded
 * through the Payment Module (no order is needed for that), so Medusa records what PaySys gives back.
 */
async function giveBackOrderless(
  container: MedusaContainer,
  paysys: PaysysModuleService,
  attempt: Attempt
): Promise<SettleOutcome> {
  if (await isOrderCollection(container, attempt.payment_collection_id)) {
    return "already_captured"
  }
  const graceEnds = (attempt.paid_at ?? new Date()).getTime() + paysys.schedule.reverseAfterMs
  if (Date.now() < graceEnds) {
    await paysys.ledger.updateAttempt(
      attempt.partner_trans_id,
      { outcome: "cart_gone" },
      entry("refund scheduled", null, "cart_gone")
    )
    return "reversal_scheduled"
  }
  const paymentModule = container.resolve(Modules.PAYMENT)
  const payment = await paymentModule.retrievePayment(attempt.payment_id!, {
    select: ["id", "amount"],
    relations: ["refunds"],
  })
  const left = MathBN.sub(
    payment.amount,
    (payment.refunds ?? []).reduce((sum, refund) => MathBN.add(sum, refund.amount), MathBN.convert(0))
  )
  if (MathBN.gt(left, 0)) {
    await paymentModule.refundPayment({
      payment_id: payment.id,
      amount: left,
      note: "No order can use this payment; given back by the PaySys plugin",
    })
  }
  await paysys.ledger.updateAttempt(
    attempt.partner_trans_id,
    { outcome: "cart_gone" },
    entry("given back: no order can use it")
  )
  return "reversed"
}

/** The shopper sees a failed or lost attempt on their session, if it is still its current one. */
async function markSessionIfCurrent(container: MedusaContainer, attempt: Attempt, status: PaymentSessionStatus) {
  const paymentModule = container.resolve(Modules.PAYMENT)
  const [session] = await paymentModule.listPaymentSessions(
    { id: attempt.session_id },
    { select: ["id", "amount", "currency_code", "data", "status", "authorized_at"] }
  )
  const current = session ? readSessionData(session.data) : null
  if (
    !session ||
    !current ||
    session.authorized_at ||
    current.partner_trans_id !== attempt.partner_trans_id ||
    session.status === status
  ) {
    return
  }
  await paymentModule.updatePaymentSession({
    id: session.id,
    amount: session.amount,
    currency_code: session.currency_code,
    data: withAttempt(current, attempt, container.resolve<PaysysModuleService>(PAYSYS_MODULE).options),
    status,
  })
}

function outcomeOfReversal(attempt: Attempt): SettleOutcome {
  return attempt.state === "reversed" ? "reversed" : attempt.state === "attention" ? "attention" : "reversal_pending"
}
