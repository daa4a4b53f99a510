import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { customerCards } from "../../../../utils/customer-cards"
import { withPaysysErrors } from "../../../../utils/paysys-errors"

/** DELETE /store/paysys/cards/:id: removes the card at PaySys and here. Own cards only. */
export const DELETE = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  await withPaysysErrors(req, res, "remove the card", async () => {
    const cards = await customerCards(req.scope, req.auth_context.actor_id)
    await cards.remove(req.params.id)
    res.json({ id: req.params.id, object: "paysys_card", deleted: true })
  })
}
