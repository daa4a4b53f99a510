import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { retryParkedNotification } from "../../../../../../../workflows/retry-parked-notification"

/**
 * POST /admin/paysys/needs-you/notifications/:id/retry
 * Processes a parked PaySys notification again, now: `{ outcome, error }` (error: it failed again).
 */
export const POST = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  res.json(await retryParkedNotification(req.scope, req.params.id, req.auth_context.actor_id))
}
