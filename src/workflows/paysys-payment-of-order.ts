import { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { readSessionData } from "../providers/paysys/session-data"
import { isPaysysProviderId } from "../providers/provider-ids"

/*
 * Which of an order's payments is PaySys's, read through Medusa's query: the admin's order panel
 * shows it, and the merchant's refund decisions act on it.
 */

type GraphRefund = {
  id: string
  amount: unknown
  note?: string | null
  created_at: string | Date
  refund_reason?: { label?: string | null } | null
}
export type GraphPayment = {
  id: string
  provider_id: string
  amount: unknown
  currency_code: string
  data: Record<string, unknown> | null
  payment_session_id?: string | null
  created_at?: string | Date | null
  captured_at?: string | Date | null
  canceled_at?: string | Date | null
  captures?: { id: string; amount: unknown; created_at: string | Date }[] | null
  refunds?: GraphRefund[] | null
}
export type GraphSession = { id: string; provider_id: string; data: Record<string, unknown> | null }
export type GraphOrder = {
  id: string
  payment_collections?:
    { id: string; payments?: GraphPayment[] | null; payment_sessions?: GraphSession[] | null }[] | null
}

const ORDER_FIELDS = [
  "id",
  "payment_collections.id",
  "payment_collections.payments.id",
  "payment_collections.payments.provider_id",
  "payment_collections.payments.amount",
  "payment_collections.payments.currency_code",
  "payment_collections.payments.data",
  "payment_collections.payments.payment_session_id",
  "payment_collections.payments.created_at",
  "payment_collections.payments.captured_at",
  "payment_collections.payments.canceled_at",
  "payment_collections.payments.captures.id",
  "payment_collections.payments.captures.amount",
  "payment_collections.payments.captures.created_at",
  "payment_collections.payments.refunds.id",
  "payment_collections.payments.refunds.amount",
  "payment_collections.payments.refunds.note",
  "payment_collections.payments.refunds.created_at",
  "payment_collections.payments.refunds.refund_reason.label",
  "payment_collections.payment_sessions.id",
  "payment_collections.payment_sessions.provider_id",
  "payment_collections.payment_sessions.data",
]

const isPaysysProvider = (providerId: string | null | undefined) => !!providerId && isPaysysProviderId(providerId)

export type PaysysPaymentOfOrder = { order: GraphOrder; payment: GraphPayment; sessions: GraphSession[] }

/** The order's PaySys payment (the latest, if there are several); null when it has none. 404 for an unknown order. */
export async function paysysPaymentOfOrder(
  container: MedusaContainer,
  orderId: string
): Promise<PaysysPaymentOfOrder | null> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "order", fields: ORDER_FIELDS, filters: { id: orderId } })
  const order = (data as GraphOrder[])[0]
  if (!order) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Order with id: ${orderId} was not found`)
  }
  const collections = order.payment_collections ?? []
  const payments = collections
    .flatMap((collection) => collection.payments ?? [])
    .filter((payment) => isPaysysProvider(payment.provider_id))
    .sort((a, b) => timeOf(a.created_at) - timeOf(b.created_at))
  const payment = payments[payments.length - 1]
  if (!payment) {
    return null
  }
  const sessions = collections
    .flatMap((collection) => collection.payment_sessions ?? [])
    .filter((s) => isPaysysProvider(s.provider_id))
  return { order, payment, sessions }
}

export function timeOf(value: string | Date | null | undefined): number {
  return value ? new Date(value).getTime() || 0 : 0
}

/** The order's PaySys payment and the PaySys transaction it holds: 404 without one, 400 when it holds none. */
export async function paysysTransactionOfOrder(container: MedusaContainer, orderId: string) {
  const found = await paysysPaymentOfOrder(container, orderId)
  if (!found) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Order ${orderId} has no PaySys payment`)
  }
  const data = readSessionData(found.payment.data ?? undefined)
  if (!data) {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Payment ${found.payment.id} has no PaySys transaction`)
  }
  return { paymentId: found.payment.id, partnerTransId: data.partner_trans_id }
}
