import { MedusaContainer, PaymentSessionDTO } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules, PaymentActions, PaymentSessionStatus } from "@medusajs/framework/utils"
import { completeCartWorkflow, processPaymentWorkflow } from "@medusajs/medusa/core-flows"
import { recordPaysysRefunds } from "./record-paysys-refunds"
import { PAYSYS_MODULE, PaysysModuleService } from "../modules/paysys"
import { PaysysError, PaysysStatus } from "../paysys"
import { parsePartnerTransId, PaysysSessionData, readSessionData, withPaysysStatus } from "../providers/paysys/session-data"

/** What settling a payment concluded; kept on the notification for the merchant. */
export type SettleOutcome =
  | "captured" // the order was placed (or the payment captured) from PaySys's word
  | "already_captured"
  | "duplicate_reversed" // a second attempt was paid too: its money was given back
  | "orphan_reversed" // paid for a session that no longer exists: money given back
  | "order_placed" // captured earlier, but the cart was not completed (a crash between the two)
  | "pending" // still waiting for the shopper or the bank
  | "abandoned" // waiting past abandonAfterSeconds: the shopper left the 3-D Secure page
  | "failed"
  | "canceled"
  | "stale_attempt" // an older attempt failed: the session moved on
  | "refund_noted" // PaySys reports a refund or reversal Medusa already has
  | "refund_recorded" // ... that Medusa did not have: recorded as a Medusa refund
  | "unknown_payment" // PaySys or Medusa does not know it (a forged or foreign id)

/**
 * Brings a PaySys attempt to its final state in Medusa, from check_payment only: whatever
 * a callback claimed is a hint that something changed. Safe to run any number of times,
 * concurrently, from a callback, the reconciliation job or several servers: it works under
 * the payment session's lock, and every action first looks at what is already done.
 */
export async function settlePaysysPayment(container: MedusaContainer, partnerTransId: string): Promise<SettleOutcome> {
  const ids = parsePartnerTransId(partnerTransId)
  if (!ids) {
    return "unknown_payment"
  }
  const locking = container.resolve(Modules.LOCKING)
  return locking.execute(`paysys:payment-session:${ids.sessionId}`, () => settleLocked(container, partnerTransId, ids), {
    timeout: 30,
  })
}

async function settleLocked(
  container: MedusaContainer,
  partnerTransId: string,
  ids: { sessionId: string; attempt: number }
): Promise<SettleOutcome> {
  const paysys = container.resolve<PaysysModuleService>(PAYSYS_MODULE)
  const paymentModule = container.resolve(Modules.PAYMENT)
  const truth = await paysys.client.checkPayment({ partner_trans_id: partnerTransId }).catch((error) => {
    if (error instanceof PaysysError) {
      return null // PaySys does not know this id
    }
    throw error
  })
  if (!truth) {
    return "unknown_payment"
  }
  const paid = truth.status === PaysysStatus.COMPLETED || truth.status === PaysysStatus.REFUNDED
  const session = await paymentModule
    .retrievePaymentSession(ids.sessionId, {
      select: ["id", "provider_id", "status", "amount", "currency_code", "data", "authorized_at", "payment_collection_id"],
      relations: ["payment"],
    })
    .catch(() => null)
  const current = session?.provider_id.startsWith("pp_paysys_") ? readSessionData(session.data) : null
  if (!session || !current) {
    if (truth.status === PaysysStatus.COMPLETED) {
      await reverse(paysys, partnerTransId, current)
      return "orphan_reversed"
    }
    return "unknown_payment"
  }

  const payment = session.payment
  if (payment) {
    const paidAttempt = readSessionData(payment.data ?? undefined)?.partner_trans_id
    if (paidAttempt !== partnerTransId) {
      // this session is paid by another attempt: this one must not keep the shopper's money
      return truth.status === PaysysStatus.COMPLETED ? (await reverse(paysys, partnerTransId, current), "duplicate_reversed") : "stale_attempt"
    }
    return truth.status === PaysysStatus.COMPLETED
      ? placeOrderIfMissing(container, session.payment_collection_id)
      : recordPaysysRefunds(container, payment.id, truth)
  }

  const attemptData = withPaysysStatus({ ...current, partner_trans_id: partnerTransId, attempt: ids.attempt }, truth)
  if (paid) {
    await saveSession(container, session, attemptData, PaymentSessionStatus.PENDING)
    return captureFromPaysys(container, session)
  }
  if (partnerTransId !== current.partner_trans_id) {
    return "stale_attempt"
  }
  if (truth.status < 0 || truth.status === PaysysStatus.CANCELED) {
    const status = truth.status < 0 ? PaymentSessionStatus.ERROR : PaymentSessionStatus.CANCELED
    await saveSession(container, session, attemptData, status)
    return truth.status < 0 ? "failed" : "canceled"
  }
  const waitedMs = Date.now() - Date.parse(current.submitted_at ?? "")
  if (waitedMs > paysys.options.abandonAfterSeconds * 1000) {
    // no longer pending: the reconciliation job stops asking; a late payment still settles
    await saveSession(container, session, attemptData, PaymentSessionStatus.REQUIRES_MORE)
    return "abandoned"
  }
  return "pending"
}

/**
 * A payment captured in Medusa whose cart has no order (the server stopped between the
 * two steps of processPaymentWorkflow): complete the cart. completeCartWorkflow is
 * idempotent, and finds the payment already authorized.
 */
async function placeOrderIfMissing(container: MedusaContainer, paymentCollectionId: string): Promise<SettleOutcome> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: carts } = await query.graph({
    entity: "cart_payment_collection",
    fields: ["cart_id"],
    filters: { payment_collection_id: paymentCollectionId },
  })
  const cartId = carts[0]?.cart_id
  if (!cartId) {
    return "already_captured"
  }
  const { data: orders } = await query.graph({ entity: "order_cart", fields: ["order_id"], filters: { cart_id: cartId } })
  if (orders.length) {
    return "already_captured"
  }
  await completeCartWorkflow(container).run({ input: { id: cartId } })
  return "order_placed"
}

/** Medusa's own flow: authorize (the provider answers captured), capture, complete the cart. */
async function captureFromPaysys(container: MedusaContainer, session: PaymentSessionDTO): Promise<SettleOutcome> {
  try {
    await processPaymentWorkflow(container).run({
      input: { action: PaymentActions.SUCCESSFUL, data: { session_id: session.id, amount: session.amount } },
    })
    return "captured"
  } catch (error) {
    // the shopper's own cart completion may have captured it a moment earlier
    const again = await container
      .resolve(Modules.PAYMENT)
      .retrievePaymentSession(session.id, { select: ["id"], relations: ["payment"] })
    if (again.payment) {
      return "already_captured"
    }
    throw error
  }
}

function saveSession(
  container: MedusaContainer,
  session: PaymentSessionDTO,
  data: PaysysSessionData,
  status: PaymentSessionStatus
) {
  return container.resolve(Modules.PAYMENT).updatePaymentSession({
    id: session.id,
    amount: session.amount,
    currency_code: session.currency_code,
    data,
    status,
  })
}

/** Gives back money PaySys took for nothing: a reversal, or a full refund once that is refused. */
async function reverse(
  paysys: PaysysModuleService,
  partnerTransId: string,
  current: PaysysSessionData | null
) {
  try {
    await paysys.client.cancelPayment({ partner_trans_id: partnerTransId })
  } catch (error) {
    if (!(error instanceof PaysysError) || !current) {
      throw error
    }
    await paysys.client.refundPayment({ partner_trans_id: partnerTransId, amount: current.amount, currency: current.currency })
  }
}
