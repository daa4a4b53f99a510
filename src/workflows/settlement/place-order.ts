import { ContainerRegistrationKeys, Modules, PaymentSessionStatus } from "@medusajs/framework/utils"
import { completeCartWorkflow } from "@medusajs/medusa/core-flows"
import { Attempt } from "../../modules/paysys/ledger-types"
import { cartOfCollection } from "../cart-of-collection"
import { SettleContext, Step } from "./context"
import { actionForOrder } from "./decisions"
import { giveBackOrderless } from "./give-back"
import { setAsidePaymentWorkflow } from "./set-aside-payment"

/** The session statuses Medusa completes a cart with (core-flows' validateCartPaymentsStep). */
const COMPLETABLE_STATUSES: string[] = [
  PaymentSessionStatus.PENDING,
  PaymentSessionStatus.REQUIRES_MORE,
  PaymentSessionStatus.AUTHORIZED,
  PaymentSessionStatus.CAPTURED,
  PaymentSessionStatus.PENDING_AUTHORIZATION,
]

/**
 * A payment captured in Medusa whose cart has no order (the server stopped between the two
 * steps of processPaymentWorkflow, or the shopper re-created the session meanwhile): complete
 * the cart with that payment. Medusa completes a cart with its first session, so the session
 * holding the payment becomes the only one (removing the others sends nothing to PaySys); if a
 * new-session call deleted it, the payment is set aside and a new session adopts the attempt.
 */
export async function placeOrderIfMissing(ctx: SettleContext, attempt: Attempt): Promise<Step> {
  const { container } = ctx
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const paymentModule = container.resolve(Modules.PAYMENT)
  const cartId = await cartOfCollection(container, attempt.payment_collection_id)
  const { data: orders } = cartId
    ? await query.graph({ entity: "order_cart", fields: ["order_id"], filters: { cart_id: cartId } })
    : { data: [] }
  const { data: carts } = cartId
    ? await query.graph({ entity: "cart", fields: ["payment_collection.id"], filters: { id: cartId } })
    : { data: [] }
  // the ledger holds the session of the payment (recordCapture)
  const sessions = await paymentModule.listPaymentSessions(
    { payment_collection_id: attempt.payment_collection_id },
    { select: ["id", "status"] }
  )
  const own = sessions.find((session) => session.id === attempt.session_id)
  const facts = {
    cartId,
    hasOrder: orders.length > 0,
    cartUsesCollection: carts[0]?.payment_collection?.id === attempt.payment_collection_id,
    sessionAlive: Boolean(own),
    sessionCompletable: Boolean(own && COMPLETABLE_STATUSES.includes(own.status)),
  }
  const action = actionForOrder(facts)
  if (action === "already_placed") {
    return { outcome: "already_captured" }
  }
  if (action === "set_aside") {
    return setAside(ctx, attempt)
  }
  if (facts.sessionAlive && facts.cartUsesCollection && !facts.hasOrder) {
    for (const session of sessions.filter((session) => session.id !== attempt.session_id)) {
      await paymentModule.deletePaymentSession(session.id)
    }
  }
  if (action === "give_back") {
    return giveBackOrderless(ctx, attempt)
  }
  await completeCartWorkflow(container).run({ input: { id: cartId! } })
  return { outcome: "order_placed" }
}

/**
 * Unless a refund was ever sent on it, the Medusa payment whose session is gone is set aside and
 * the attempt is settled as paid again: a new session adopts it and completes the cart.
 */
async function setAside(ctx: SettleContext, attempt: Attempt): Promise<Step> {
  const { container, paysys } = ctx
  const payment = await container
    .resolve(Modules.PAYMENT)
    .retrievePayment(attempt.payment_id!, { select: ["id"], relations: ["refunds"] })
  // a refund made, on its way, or waiting to be booked belongs to that payment: it stays
  const refunds = (await paysys.ledger.refunds.list(attempt.id)).filter((row) => row.state !== "refused")
  if (payment.refunds?.length || refunds.length) {
    return giveBackOrderless(ctx, attempt)
  }
  await setAsidePaymentWorkflow(container).run({
    input: { partner_trans_id: attempt.partner_trans_id, payment_id: payment.id },
  })
  // read back from the ledger: a workflow's result may come serialized (dates as strings)
  return { again: await paysys.ledger.retrieveAttempt(attempt.partner_trans_id) }
}
