import { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { PAYSYS_MODULE, PaysysModuleService } from "../modules/paysys"
import { actorEntry } from "../modules/paysys/ledger-types"

/** What the merchant did about an attempt parked for them, as read in the PaySys cabinet. */
export type ParkedAttemptResolution = "refunded_in_cabinet" | "not_paid"

/**
 * Closes an attempt the plugin parked for the merchant (state `attention`: paid through the form
 * with no order, a reversal PaySys kept refusing, unsettled at the horizon) with what they did in
 * the PaySys cabinet: refunded it there (the money is given back: `reversed`), or, for one still
 * unsettled, PaySys shows it never paid (`failed`). Nothing is sent to PaySys; the ledger records
 * who said so.
 */
export async function resolveParkedAttempt(
  container: MedusaContainer,
  partnerTransId: string,
  resolution: ParkedAttemptResolution,
  actorId: string | null
) {
  const { ledger } = container.resolve<PaysysModuleService>(PAYSYS_MODULE)
  const attempt = await ledger.retrieveAttempt(partnerTransId)
  if (attempt.state !== "attention") {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `PaySys attempt ${partnerTransId} is ${attempt.state}, not waiting for the merchant`
    )
  }
  if (resolution === "not_paid" && attempt.outcome !== "still_open_at_horizon") {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `resolution: PaySys attempt ${partnerTransId} took the money; refund it in the PaySys cabinet and record refunded_in_cabinet`
    )
  }
  const closed = await ledger.resolveAttention(
    partnerTransId,
    resolution === "refunded_in_cabinet" ? "merchant_refunded_in_cabinet" : "merchant_saw_not_paid",
    {
      outcome: resolution === "refunded_in_cabinet" ? "refunded_in_paysys_cabinet" : "not_paid_per_paysys_cabinet",
      next_check_at: null,
    },
    actorEntry(
      resolution === "refunded_in_cabinet"
        ? "refunded in the PaySys cabinet, recorded by the merchant"
        : "not paid, as the merchant read in the PaySys cabinet",
      actorId,
      attempt.outcome
    )
  )
  if (!closed) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `PaySys attempt ${partnerTransId} was settled meanwhile; reload the list`
    )
  }
  return ledger.retrieveAttempt(partnerTransId)
}
