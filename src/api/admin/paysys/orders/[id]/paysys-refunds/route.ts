import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { recordRefundMadeAtPaysys } from "../../../../../../workflows/record-refund-made-at-paysys"
import { getPaysysOrderPanel } from "../../../paysys-order-panel"
import { AdminRecordPaysysRefundType } from "../../../validators"

/**
 * POST /admin/paysys/orders/:id/paysys-refunds
 * The merchant records a refund made in the PaySys cabinet, with its amount: PaySys's
 * notification says that a refund happened, not how much, so the plugin never books one alone.
 */
export const POST = async (req: AuthenticatedMedusaRequest<AdminRecordPaysysRefundType>, res: MedusaResponse) => {
  await recordRefundMadeAtPaysys(req.scope, req.params.id, req.validatedBody.amount, req.auth_context.actor_id)
  res.json({ paysys: await getPaysysOrderPanel(req.scope, req.params.id) })
}
