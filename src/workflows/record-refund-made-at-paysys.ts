import { MedusaContainer } from "@medusajs/framework/types"
import { MathBN, MedusaError } from "@medusajs/framework/utils"
import { refundPaymentWorkflow } from "@medusajs/medusa/core-flows"
import { PAYSYS_MODULE, PaysysModuleService } from "../modules/paysys"
import { actorEntry } from "../modules/paysys/ledger-types"
import { PaysysStatus } from "../paysys"
import { toPaysysAmount } from "../modules/paysys/money"
import { paysysTransactionOfOrder } from "./paysys-payment-of-order"

/**
 * A refund the merchant made in the PaySys cabinet, with the amount they read there. The ledger
 * row comes first, accepted and not yet booked: Medusa's refund workflow then reaches the
 * provider, which books that row instead of sending anything to PaySys. Only for a payment
 * PaySys reports refunded (6); Medusa refuses more than was captured.
 */
export async function recordRefundMadeAtPaysys(
  container: MedusaContainer,
  orderId: string,
  amount: string,
  actorId?: string
) {
  const { paymentId, partnerTransId } = await paysysTransactionOfOrder(container, orderId)
  const paysys = container.resolve<PaysysModuleService>(PAYSYS_MODULE)
  const attempt = await paysys.ledger.retrieveAttempt(partnerTransId)
  if (attempt.paysys_status !== PaysysStatus.REFUNDED) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `PaySys does not report a refund of ${attempt.partner_trans_id} (status ${attempt.paysys_status}): refresh from PaySys first`
    )
  }
  const major = MathBN.convert(amount)
  if (MathBN.lte(major, 0)) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "amount must be more than 0")
  }
  const { amount: minor } = toPaysysAmount(major, attempt.currency)
  await paysys.ledger.refunds.create({
    attempt_id: attempt.id,
    partner_trans_id: attempt.partner_trans_id,
    key: `external-refund:${attempt.partner_trans_id}:${Date.now()}`,
    kind: "refund",
    origin: "external",
    amount: minor,
    currency: attempt.currency,
    start: "made_at_paysys",
    status_before: attempt.paysys_status,
  })
  await refundPaymentWorkflow(container).run({
    input: {
      payment_id: paymentId,
      amount: major,
      created_by: actorId,
      note: "Refunded in the PaySys cabinet; recorded by the merchant",
    },
  })
  const recorded = actorEntry("refund made at PaySys recorded by the merchant", actorId, `${minor} ${attempt.currency}`)
  if (attempt.outcome === "refund_unexplained") {
    await paysys.ledger.updateAttempt(attempt.partner_trans_id, { outcome: "captured" }, recorded)
  } else {
    await paysys.ledger.addHistory(attempt.partner_trans_id, recorded)
  }
}
