import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { PaysysError } from "../../../../paysys"
import { PAYSYS_MODULE, PaysysModuleService } from "../../../../modules/paysys"
import { customerCards } from "../../../utils/customer-cards"
import { admitted } from "../../../utils/card-velocity"
import { clientIp } from "../../../utils/client-ip"
import { withPaysysErrors } from "../../../utils/paysys-errors"
import { StoreSaveCardType } from "../validators"

/** GET /store/paysys/cards: the signed-in customer's saved cards (masked, never a token). */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const cards = await customerCards(req.scope, req.auth_context.actor_id)
  res.json({ cards: await cards.list() })
}

/**
 * POST /store/paysys/cards: starts saving a card. Answers the card (pending) and the
 * 3-D Secure page; the card becomes usable when PaySys confirms it (partner.notify).
 * Registrations per customer and client IP are limited (card testing).
 */
export const POST = async (req: AuthenticatedMedusaRequest<StoreSaveCardType>, res: MedusaResponse) => {
  const velocity = req.scope.resolve<PaysysModuleService>(PAYSYS_MODULE).cardVelocity()
  const keys = { ip: clientIp(req), customer: req.auth_context.actor_id }
  if (velocity && !(await admitted(res, () => velocity.admitRegistration(keys)))) {
    return
  }
  await withPaysysErrors(
    req,
    res,
    "save the card",
    async () => {
      const cards = await customerCards(req.scope, req.auth_context.actor_id)
      const { card, confirm_url } = await cards.save(req.validatedBody).catch(async (error) => {
        if (velocity && error instanceof PaysysError) {
          await velocity.recordRegistrationDecline(keys)
        }
        throw error
      })
      const { id, status, masked_pan, brand, expiry } = card
      res.status(201).json({ card: { id, status, masked_pan, brand, expiry }, confirm_url })
    },
    { cardDeclines: true }
  )
}
