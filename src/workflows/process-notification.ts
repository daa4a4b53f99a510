import { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { PAYSYS_MODULE, PaysysModuleService } from "../modules/paysys"
import { backoffAt } from "../modules/paysys/look-schedule"
import { settlePaysysPayment } from "./settlement/settle-paysys-payment"

/**
 * Processes a recorded PaySys notification once: under a lock of its own, so a subscriber
 * and the reconciliation job (on any server) never run it twice at the same time, and the
 * second finds it processed. A failure is written on the notification with when to try
 * again (backoff), and thrown; one that keeps failing is parked for the merchant, so it never
 * holds up newer ones. Its attempt is in the ledger anyway: reconciliation settles it.
 * Confirming it spends PaySys calls from the background budget: with none left, it waits
 * (DEFERRED), uncounted, until the budget has room.
 */
export async function processPaysysNotification(container: MedusaContainer, id: string): Promise<string | null> {
  return container
    .resolve(Modules.LOCKING)
    .execute(`paysys:notification:${id}`, () => processUnlocked(container, id), { timeout: 60 })
}

/** The outcome of a notification whose PaySys calls the background budget could not pay for now. */
export const DEFERRED = "deferred"

async function processUnlocked(container: MedusaContainer, id: string): Promise<string | null> {
  const paysys = container.resolve<PaysysModuleService>(PAYSYS_MODULE)
  const notification = await paysys.retrieveNotificationState(id)
  if (notification.processed_at || notification.parked_at) {
    return notification.outcome
  }
  try {
    // card registrations are applied on receipt (they carry the token) and recorded as processed
    const settled = notification.partner_trans_id
      ? await paysys.callBudget().run(() => settlePaysysPayment(container, notification.partner_trans_id!))
      : { deferred: false as const, value: "ignored" }
    if (settled.deferred) {
      // not a failure: confirmed once the budget has room (the job takes it then)
      await paysys.updateNotificationState(id, { next_attempt_at: new Date(Date.now() + settled.retryInMs) })
      return DEFERRED
    }
    await paysys.updateNotificationState(id, {
      processed_at: new Date(),
      outcome: settled.value,
      attempts: notification.attempts + 1,
      last_error: null,
    })
    return settled.value
  } catch (error) {
    const attempts = notification.attempts + 1
    const parked = attempts >= paysys.options.notificationMaxAttempts
    await paysys.updateNotificationState(id, {
      attempts,
      last_error: (error instanceof Error ? error.message : String(error)).slice(0, 1000),
      next_attempt_at: parked ? null : backoffAt(paysys.schedule, notification.attempts),
      parked_at: parked ? new Date() : null,
    })
    throw error
  }
}
