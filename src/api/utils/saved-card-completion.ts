import { AuthenticatedMedusaRequest, MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { Knex } from "knex"
import { SavedCardBinding } from "../../modules/paysys/saved-card-binding"

/**
 * Completing a cart whose PaySys session pays with a saved card charges the card at once, with no
 * 3-D Secure: only the signed-in customer who chose the card may complete it, and only for the
 * total and shipping address it was chosen for. Refused here, before any PaySys call; the provider
 * checks the total and the address again right before pay_by_id.
 */
export async function requireSavedCardOwner(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  const binding = new SavedCardBinding(req.scope.resolve<Knex>(ContainerRegistrationKeys.PG_CONNECTION))
  // set by authenticate("customer", ..., { allowUnauthenticated: true }) just before
  const auth = (req as Partial<AuthenticatedMedusaRequest>).auth_context
  const actor = auth?.actor_type === "customer" ? auth.actor_id : null
  for (const charge of await binding.savedCardSessionsOfCart(req.params.id)) {
    const problem = (await binding.completerProblem(charge, actor)) ?? (await binding.chargeProblem(charge))
    if (problem) {
      res
        .status(problem.status)
        .json({ type: problem.status === 403 ? "not_allowed" : "conflict", message: problem.message })
      return
    }
  }
  next()
}
