import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { settleRefundInDoubt } from "../../../../../../../../workflows/settle-refund-in-doubt"
import { getPaysysOrderPanel } from "../../../../../paysys-order-panel"
import { AdminSettlePaysysRefundType } from "../../../../../validators"

/**
 * POST /admin/paysys/orders/:id/paysys-refunds/:refund_id/outcome
 * The merchant says whether PaySys made a refund whose outcome the plugin cannot tell.
 */
export const POST = async (req: AuthenticatedMedusaRequest<AdminSettlePaysysRefundType>, res: MedusaResponse) => {
  await settleRefundInDoubt(
    req.scope,
    req.params.id,
    req.params.refund_id,
    req.validatedBody.made,
    req.auth_context.actor_id
  )
  res.json({ paysys: await getPaysysOrderPanel(req.scope, req.params.id) })
}
