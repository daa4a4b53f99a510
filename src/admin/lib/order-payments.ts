import type { HttpTypes } from "@medusajs/framework/types"
import { isPaysysProviderId } from "../../providers/provider-ids"

/**
 * What the order page already knows about the order's payments: "no" when it lists them and
 * none is PaySys (nothing to ask), "unknown" when the page's data does not say.
 */
export function paysysHint(order: HttpTypes.AdminOrder): "yes" | "no" | "unknown" {
  const payments = order.payment_collections?.flatMap((collection) => collection.payments ?? [])
  if (!order.payment_collections || payments?.some((payment) => !payment.provider_id)) {
    return "unknown"
  }
  return payments?.some((payment) => isPaysysProviderId(payment.provider_id)) ? "yes" : "no"
}

/** Changes when Medusa's own admin flows (refund, cancel) change the order's payments. */
export function paymentsFingerprint(order: HttpTypes.AdminOrder): string {
  return JSON.stringify([
    order.status,
    order.payment_status,
    order.payment_collections?.map((collection) =>
      collection.payments?.map((payment) => [
        payment.id,
        payment.refunds?.length ?? 0,
        payment.captured_at,
        payment.canceled_at,
      ])
    ),
  ])
}
