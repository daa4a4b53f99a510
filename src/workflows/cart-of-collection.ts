import { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

/** The cart a payment collection belongs to, or null when no cart holds it (any more). */
export async function cartOfCollection(
  container: MedusaContainer,
  paymentCollectionId: string
): Promise<string | null> {
  const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "cart_payment_collection",
    fields: ["cart_id"],
    filters: { payment_collection_id: paymentCollectionId },
  })
  return data[0]?.cart_id ?? null
}

/** Whether an order holds a payment collection (its payments are that order's). */
export async function isOrderCollection(container: MedusaContainer, paymentCollectionId: string): Promise<boolean> {
  const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "order_payment_collection",
    fields: ["order_id"],
    filters: { payment_collection_id: paymentCollectionId },
  })
  return data.length > 0
}
