import { MedusaContainer } from "@medusajs/framework/types"
import { Modules, PaymentSessionStatus } from "@medusajs/framework/utils"
import { PAYSYS_MODULE, PaysysModuleService } from "../../modules/paysys"
import type { Attempt } from "../../modules/paysys/ledger-types"
import { readSessionData, withAttempt } from "../../providers/paysys/session-data"

/** The shopper sees a failed or lost attempt on their session, if it is still its current one. */
export async function markSessionIfCurrent(container: MedusaContainer, attempt: Attempt, status: PaymentSessionStatus) {
  const paymentModule = container.resolve(Modules.PAYMENT)
  const [session] = await paymentModule.listPaymentSessions(
    { id: attempt.session_id },
    { select: ["id", "amount", "currency_code", "data", "status", "authorized_at"] }
  )
  const current = session ? readSessionData(session.data) : null
  if (
    !session ||
    !current ||
    session.authorized_at ||
    current.partner_trans_id !== attempt.partner_trans_id ||
    session.status === status
  ) {
    return
  }
  await paymentModule.updatePaymentSession({
    id: session.id,
    amount: session.amount,
    currency_code: session.currency_code,
    data: withAttempt(current, attempt, container.resolve<PaysysModuleService>(PAYSYS_MODULE).options),
    status,
  })
}
