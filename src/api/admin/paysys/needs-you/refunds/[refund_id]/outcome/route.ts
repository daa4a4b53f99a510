import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { PAYSYS_MODULE, PaysysModuleService } from "../../../../../../../modules/paysys"
import { settleRefundInDoubtById } from "../../../../../../../workflows/settle-refund-in-doubt"
import { AdminSettlePaysysRefundType } from "../../../../validators"

/**
 * POST /admin/paysys/needs-you/refunds/:refund_id/outcome
 * The merchant says whether PaySys made a refund in doubt, with an order or without one.
 */
export const POST = async (req: AuthenticatedMedusaRequest<AdminSettlePaysysRefundType>, res: MedusaResponse) => {
  await settleRefundInDoubtById(req.scope, req.params.refund_id, req.validatedBody.made, req.auth_context.actor_id)
  const refund = await req.scope
    .resolve<PaysysModuleService>(PAYSYS_MODULE)
    .ledger.refunds.retrieve(req.params.refund_id)
  res.json({ refund: { id: refund.id, partner_trans_id: refund.partner_trans_id, state: refund.state } })
}
