import { MedusaContainer } from "@medusajs/framework/types"
import { PAYSYS_MODULE, PaysysModuleService } from "../modules/paysys"
import { settlePaysysPayment } from "./settle-paysys-payment"

/**
 * Processes a recorded PaySys notification once. A failure is written on the notification
 * and thrown: the event bus may retry, and the reconciliation job picks up whatever is
 * still unprocessed, so a notification is never dropped silently.
 */
export async function processPaysysNotification(container: MedusaContainer, id: string): Promise<string | null> {
  const paysys = container.resolve<PaysysModuleService>(PAYSYS_MODULE)
  const notification = await paysys.retrievePaysysNotification(id)
  if (notification.processed_at) {
    return notification.outcome
  }
  try {
    // card registrations are applied on receipt (they carry the token) and recorded as processed
    const outcome = notification.partner_trans_id ? await settlePaysysPayment(container, notification.partner_trans_id) : "ignored"
    await paysys.updatePaysysNotifications({
      id,
      processed_at: new Date(),
      outcome,
      attempts: notification.attempts + 1,
      last_error: null,
    })
    return outcome
  } catch (error) {
    await paysys.updatePaysysNotifications({
      id,
      attempts: notification.attempts + 1,
      last_error: (error instanceof Error ? error.message : String(error)).slice(0, 1000),
    })
    throw error
  }
}
