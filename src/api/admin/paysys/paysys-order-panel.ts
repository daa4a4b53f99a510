import { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { PAYSYS_MODULE, PaysysModuleService } from "../../../modules/paysys"
import { readSessionData } from "../../../providers/paysys/session-data"
import type { PaysysOrderPanel } from "./paysys-order-panel-types"
import { settlePaysysPayment } from "../../../workflows/settlement/settle-paysys-payment"
import { PaysysPaymentOfOrder, paysysPaymentOfOrder } from "../../../workflows/paysys-payment-of-order"
import { collectionIds, ownAttempt, partnerTransIdsOf } from "./paysys-order-panel-keys"
import { shapePaysysOrderPanel } from "./paysys-order-panel-shape"

export type { PaysysHistoryEntry, PaysysOrderPanel, PaysysStatusLabel } from "./paysys-order-panel-types"

/** `GET /admin/paysys/orders/:id`: null when the order was not paid with PaySys. */
export async function getPaysysOrderPanel(
  container: MedusaContainer,
  orderId: string
): Promise<PaysysOrderPanel | null> {
  const found = await paysysPaymentOfOrder(container, orderId)
  return found ? buildPanel(container, found) : null
}

/**
 * `POST /admin/paysys/orders/:id/refresh`: asks PaySys (check_payment) now and settles the
 * order's attempts through the ledger, as a notification would: a reversal made at PaySys is
 * recorded, a refund it cannot explain is shown for the merchant to record.
 */
export async function refreshPaysysOrderPanel(
  container: MedusaContainer,
  orderId: string
): Promise<PaysysOrderPanel | null> {
  const found = await paysysPaymentOfOrder(container, orderId)
  if (!found) {
    return null
  }
  const data = readSessionData(found.payment.data ?? undefined)
  if (!data) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `Payment ${found.payment.id} has no PaySys transaction to check`
    )
  }
  await settlePaysysPayment(container, data.partner_trans_id)
  return getPaysysOrderPanel(container, orderId)
}

/** Reads the order's attempts, their notifications and the payment's refunds, then shapes the panel. */
async function buildPanel(
  container: MedusaContainer,
  { order, payment, sessions }: PaysysPaymentOfOrder
): Promise<PaysysOrderPanel> {
  const data = readSessionData(payment.data ?? undefined)
  const paysys = container.resolve<PaysysModuleService>(PAYSYS_MODULE)
  const attempts = await paysys.ledger.listAttemptsOfCollections(collectionIds(order))
  const partnerTransIds = partnerTransIdsOf(attempts, data, sessions)
  const notifications = partnerTransIds.length
    ? await paysys.listPaysysNotifications(
        { partner_trans_id: partnerTransIds },
        { order: { created_at: "ASC" }, take: 200 }
      )
    : []
  const own = ownAttempt(attempts, data)
  const refunds = own ? await paysys.ledger.refunds.list(own.id) : []
  return shapePaysysOrderPanel({ order, payment, data, attempts, own, partnerTransIds, notifications, refunds })
}
