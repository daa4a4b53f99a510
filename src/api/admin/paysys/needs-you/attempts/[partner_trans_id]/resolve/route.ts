import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { resolveParkedAttempt } from "../../../../../../../workflows/resolve-parked-attempt"
import { AdminResolvePaysysAttemptType } from "../../../../validators"

/**
 * POST /admin/paysys/needs-you/attempts/:partner_trans_id/resolve
 * The merchant records what they did in the PaySys cabinet about an attempt parked for them.
 */
export const POST = async (req: AuthenticatedMedusaRequest<AdminResolvePaysysAttemptType>, res: MedusaResponse) => {
  const attempt = await resolveParkedAttempt(
    req.scope,
    req.params.partner_trans_id,
    req.validatedBody.resolution,
    req.auth_context.actor_id
  )
  res.json({ attempt: { partner_trans_id: attempt.partner_trans_id, state: attempt.state, outcome: attempt.outcome } })
}
