import { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { Modules } from "@medusajs/framework/utils"
import { PAYSYS_MODULE, PaysysModuleService } from "../../../modules/paysys"
import { NOTIFICATION_ACK } from "../../../paysys"
import { isCardRegistration, PaysysCallback, toNotificationRecord } from "../../../providers/paysys/notification-record"
import { PAYSYS_NOTIFICATION_RECEIVED } from "../../../modules/paysys/events"

/**
 * The acknowledgement, serialized once and written as is: res.json would stringify it and hash
 * it for an ETag on every callback, in the answer PaySys waits on.
 */
const ACK_BODY = Buffer.from(JSON.stringify(NOTIFICATION_ACK))

function acknowledge(res: MedusaResponse) {
  res
    .writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": ACK_BODY.length })
    .end(ACK_BODY)
}

/**
 * POST /hooks/paysys: PaySys's transaction status notifications and partner.notify.
 * Authenticated and validated by middlewares; acknowledged once recorded. A status
 * notification is processed by a subscriber (and, should that fail, by the reconciliation
 * job); a card registration result is applied at once, since it carries the card token.
 */
export const POST = async (req: MedusaRequest<PaysysCallback>, res: MedusaResponse) => {
  const paysys = req.scope.resolve<PaysysModuleService>(PAYSYS_MODULE)
  const callback = req.validatedBody
  if (isCardRegistration(callback)) {
    // the token exists only in this request: it is saved (encrypted) before the answer
    const outcome = await paysys.applyCardRegistration(callback)
    await paysys.recordNotification({ ...toNotificationRecord(callback), outcome, processed_at: new Date() })
    acknowledge(res)
    return
  }
  const recorded = await paysys.recordNotification(toNotificationRecord(callback))
  // one event per notification: a repeated delivery is only counted (retries are the
  // event bus's and the reconciliation job's)
  if (!recorded.duplicate && !recorded.processed) {
    await req.scope.resolve(Modules.EVENT_BUS).emit(
      {
        name: PAYSYS_NOTIFICATION_RECEIVED,
        data: { id: recorded.id },
        // the Redis event bus retries a failed processing; the reconciliation job backs it up
        options: { attempts: 5, backoff: { type: "exponential", delay: 1000 } },
      },
      // no "Processing ... which has 1 subscribers" info line per callback: the notification
      // row is its record
      { internal: true }
    )
  }
  acknowledge(res)
}
