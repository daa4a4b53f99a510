import { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { refundPaymentWorkflow } from "@medusajs/medusa/core-flows"
import { PAYSYS_MODULE, PaysysModuleService } from "../modules/paysys"
import { actorEntry, Attempt, RefundRow } from "../modules/paysys/ledger-types"
import { fromPaysysAmount } from "../modules/paysys/money"
import { paysysTransactionOfOrder } from "./paysys-payment-of-order"

/**
 * A refund the plugin sent whose answer was lost, on a payment already partly refunded: PaySys's
 * status cannot tell whether it was made, so the merchant looks in the PaySys cabinet and says.
 * Made: Medusa records it (the provider books the ledger row and sends nothing). Not made: the
 * row is closed, and the payment can be refunded again. Either way nothing is sent to PaySys.
 */
export async function settleRefundInDoubt(
  container: MedusaContainer,
  orderId: string,
  refundId: string,
  made: boolean,
  actorId?: string
) {
  const { paymentId, partnerTransId } = await paysysTransactionOfOrder(container, orderId)
  const { ledger } = container.resolve<PaysysModuleService>(PAYSYS_MODULE)
  const attempt = await ledger.retrieveAttempt(partnerTransId)
  const row = (await ledger.refunds.list(attempt.id)).find((refund) => refund.id === refundId)
  if (!row) {
    throw new MedusaError(
      MedusaError.Types.NOT_FOUND,
      `Refund ${refundId} is not a refund of order ${orderId}'s PaySys payment`
    )
  }
  await settle(container, attempt, row, paymentId, made, actorId)
}

/**
 * The same from "Needs you", where a refund in doubt may have no order: a reversal reconciliation
 * started for a payment no order uses. Its attempt is looked at again at once, and reconciliation
 * gives back what is left (not made) or closes it as given back (made).
 */
export async function settleRefundInDoubtById(
  container: MedusaContainer,
  refundId: string,
  made: boolean,
  actorId?: string
) {
  const { ledger } = container.resolve<PaysysModuleService>(PAYSYS_MODULE)
  const row = await ledger.refunds.retrieve(refundId)
  const attempt = await ledger.retrieveAttempt(row.partner_trans_id)
  const [payment] = await ledger.collections.medusaPaymentsUsing(attempt)
  await settle(container, attempt, row, payment?.id ?? null, made, actorId)
  if (!payment) {
    await ledger.updateAttempt(attempt.partner_trans_id, { next_check_at: new Date() })
  }
}

async function settle(
  container: MedusaContainer,
  attempt: Attempt,
  row: RefundRow,
  paymentId: string | null,
  made: boolean,
  actorId?: string
) {
  const { ledger } = container.resolve<PaysysModuleService>(PAYSYS_MODULE)
  if (row.state !== "unknown") {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Refund ${row.id} is ${row.state}, not in doubt`)
  }
  const said = made ? "made" : "not made"
  const event = actorEntry(`refund in doubt ${said}, as the merchant read in the PaySys cabinet`, actorId, row.key)
  await ledger.addHistory(attempt.partner_trans_id, event)
  if (!made) {
    await ledger.refunds.update(row.id, {
      event: "merchant_saw_not_made",
      error: { code: 0, message: "not made, as the merchant read in the PaySys cabinet" },
    })
    return
  }
  await ledger.refunds.update(row.id, { event: "merchant_saw_made" })
  if (!paymentId) {
    return
  }
  await refundPaymentWorkflow(container).run({
    input: {
      payment_id: paymentId,
      amount: fromPaysysAmount(row.amount, attempt.currency),
      created_by: actorId,
      note: "Refunded at PaySys (its answer was lost); confirmed by the merchant in the PaySys cabinet",
    },
  })
}
