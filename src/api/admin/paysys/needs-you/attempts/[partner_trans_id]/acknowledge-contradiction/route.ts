import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { acknowledgeContradiction } from "../../../../../../../workflows/acknowledge-contradiction"
import { AdminAcknowledgePaysysContradictionType } from "../../../../validators"

/**
 * POST /admin/paysys/needs-you/attempts/:partner_trans_id/acknowledge-contradiction
 * The merchant checked in the PaySys cabinet a cancellation PaySys's status API contradicted.
 */
export const POST = async (
  req: AuthenticatedMedusaRequest<AdminAcknowledgePaysysContradictionType>,
  res: MedusaResponse
) => {
  const attempt = await acknowledgeContradiction(req.scope, req.params.partner_trans_id, req.auth_context.actor_id)
  res.json({
    attempt: {
      partner_trans_id: attempt.partner_trans_id,
      state: attempt.state,
      contradicted_at: attempt.contradicted_at,
    },
  })
}
