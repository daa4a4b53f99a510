import { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { PAYSYS_MODULE, PaysysModuleService } from "../modules/paysys"
import { actorEntry } from "../modules/paysys/ledger-types"
import { processPaysysNotification } from "./process-notification"

/**
 * The merchant sends a parked notification back to processing (after fixing what made it fail):
 * its failures are forgotten and it is processed now; failing again, it backs off and is parked
 * again after notificationMaxAttempts. Who did it is on the notification and its attempt's history.
 */
export async function retryParkedNotification(
  container: MedusaContainer,
  id: string,
  actorId: string | null
): Promise<{ outcome: string | null; error: string | null }> {
  const paysys = container.resolve<PaysysModuleService>(PAYSYS_MODULE)
  const unparked = await paysys.needsYou.unparkNotification(id, actorId)
  if (!unparked) {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `PaySys notification ${id} is not parked`)
  }
  if (unparked.partner_trans_id) {
    await paysys.ledger.addHistory(
      unparked.partner_trans_id,
      actorEntry("parked notification retried by the merchant", actorId, id)
    )
  }
  try {
    return { outcome: await processPaysysNotification(container, id), error: null }
  } catch (error) {
    // recorded on the notification with its next try; the merchant sees why
    return { outcome: null, error: (error as Error).message }
  }
}
