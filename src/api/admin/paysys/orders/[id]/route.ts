import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { getPaysysOrderPanel } from "../../paysys-order-panel"

/**
 * GET /admin/paysys/orders/:id
 * The order's PaySys payment as the admin widget shows it: `{ paysys: null }` for an order
 * not paid with PaySys, 404 for an unknown order. Admin authentication is Medusa's own.
 */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const paysys = await getPaysysOrderPanel(req.scope, req.params.id)
  res.json({ paysys })
}
