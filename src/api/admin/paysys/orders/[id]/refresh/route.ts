import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { refreshPaysysOrderPanel } from "../../../paysys-order-panel"
import { withPaysysErrors } from "../../../../../utils/paysys-errors"

/**
 * POST /admin/paysys/orders/:id/refresh
 * Asks PaySys (check_payment) now, keeps its answer on the payment and answers like the GET.
 * PaySys unreachable: 502; PaySys refusing: 400 with its message.
 */
export const POST = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  await withPaysysErrors(req, res, "check the payment", async () => {
    const paysys = await refreshPaysysOrderPanel(req.scope, req.params.id)
    res.json({ paysys })
  })
}
