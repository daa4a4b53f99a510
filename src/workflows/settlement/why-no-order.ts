import type { Knex } from "knex"
import { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { toPaysysAmount } from "../../modules/paysys/money"
import type { Attempt } from "../../modules/paysys/ledger-types"
import { SavedCardBinding } from "../../modules/paysys/saved-card-binding"
import { sessionIdOfAttempt } from "../../providers/paysys/session-data"
import { cartOfCollection, isOrderCollection } from "../cart-of-collection"

/**
 * Why the attempt's cart cannot be completed with it, or null when it can. `paidOtherwise`: the
 * collection holds a live payment of something else. A saved card's attempt also needs the cart
 * to be as its session was bound to (SavedCardBinding.cartChangedSince).
 */
export async function whyNoOrderCanUse(
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
