import { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { PAYSYS_MODULE, PaysysModuleService } from "../modules/paysys"
import { actorEntry, CONTRADICTION_CHECKED_EVENT } from "../modules/paysys/ledger-types"

/**
 * The merchant checked in the PaySys cabinet a form payment whose Cancel or Notify 3 PaySys's
 * status API contradicted (a forged call, or a wrong status at PaySys): it leaves "Needs you".
 * Nothing is sent to PaySys and nothing is booked; the ledger records who checked it.
 */
export async function acknowledgeContradiction(
  container: MedusaContainer,
  partnerTransId: string,
  actorId: string | null
) {
  const { ledger } = container.resolve<PaysysModuleService>(PAYSYS_MODULE)
  const attempt = await ledger.retrieveAttempt(partnerTransId)
  const checked = await ledger.acknowledgeContradiction(
    partnerTransId,
    actorEntry(CONTRADICTION_CHECKED_EVENT, actorId, attempt.contradicted_at?.toISOString())
  )
  if (!checked) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `PaySys attempt ${partnerTransId} has no cancellation contradicted by PaySys's status waiting to be checked`
    )
  }
  return ledger.retrieveAttempt(partnerTransId)
}
