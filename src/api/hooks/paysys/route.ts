import { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { Modules } from "@medusajs/framework/utils"
import { PAYSYS_MODULE, PaysysModuleService } from "../../../modules/paysys"
import { NOTIFICATION_ACK } from "../../../paysys"
import { PaysysCallback, toNotificationRecord } from "../../../lib/notification-record"
import { PAYSYS_NOTIFICATION_RECEIVED } from "../../../subscribers/paysys-notification-received"

/**
 * POST /hooks/paysys: PaySys's transaction status notifications and partner.notify.
 * Authenticated and validated by middlewares; acknowledged once recorded, processed
 * by a subscriber (and, should that fail, by the reconciliation job).
 */
export const POST = async (req: MedusaRequest<PaysysCallback>, res: MedusaResponse) => {
  const paysys = req.scope.resolve<PaysysModuleService>(PAYSYS_MODULE)
  const recorded = await paysys.recordNotification(toNotificationRecord(req.validatedBody))
  if (!recorded.processed) {
    await req.scope.resolve(Modules.EVENT_BUS).emit({
      name: PAYSYS_NOTIFICATION_RECEIVED,
      data: { id: recorded.id },
      // the Redis event bus retries a failed processing; the reconciliation job backs it up
      options: { attempts: 5, backoff: { type: "exponential", delay: 1000 } },
    })
  }
  res.json(NOTIFICATION_ACK)
}
