import { MedusaContainer, UpdatePaymentDTO } from "@medusajs/framework/types"
import { MathBN, Modules } from "@medusajs/framework/utils"
import { refundPaymentWorkflow } from "@medusajs/medusa/core-flows"
import { PAYSYS_MODULE, PaysysModuleService } from "../modules/paysys"
import { PaymentStatusResult, PaysysStatus } from "../paysys"
import { fromPaysysAmount, toPaysysAmount } from "../providers/paysys/money"
import { readSessionData } from "../providers/paysys/session-data"

/**
 * PaySys reports a refund (6) or a reversal (3) of a captured payment. When it has given
 * back more than Medusa's refunds add up to (a refund made in the PaySys cabinet, or one
 * whose answer was lost), Medusa records the difference as a refund, without asking
 * PaySys to refund again.
 *
 * check_payment confirms that something was refunded, not how much: for refunds the
 * amounts come from the confirmed notifications (a reversal gives everything back).
 */
export async function recordPaysysRefunds(
  container: MedusaContainer,
  paymentId: string,
  truth: PaymentStatusResult
): Promise<"refund_noted" | "refund_recorded"> {
  const paymentModule = container.resolve(Modules.PAYMENT)
  const payment = await paymentModule.retrievePayment(paymentId, { select: ["id", "data"], relations: ["refunds"] })
  const data = readSessionData(payment.data ?? undefined)
  if (!data) {
    return "refund_noted"
  }
  const medusaRefunded = (payment.refunds ?? []).reduce(
    (sum, refund) => sum + BigInt(toPaysysAmount(refund.amount, data.currency).amount),
    0n
  )
  const paysysRefunded =
    truth.status === PaysysStatus.CANCELED ? BigInt(data.amount) : await refundedPerNotifications(container, data.partner_trans_id, BigInt(data.amount))
  if (paysysRefunded <= medusaRefunded) {
    return "refund_noted"
  }
  const missing = (paysysRefunded - medusaRefunded).toString()
  // UpdatePaymentDTO does not declare `data`, which the module does update
  await paymentModule.updatePayment({ id: payment.id, data: { ...data, external_refund: { amount: missing } } } as UpdatePaymentDTO)
  await refundPaymentWorkflow(container).run({
    input: {
      payment_id: payment.id,
      amount: MathBN.convert(fromPaysysAmount(missing, data.currency)).toNumber(),
      note: "Refunded at PaySys; recorded by the PaySys plugin's reconciliation",
    },
  })
  return "refund_recorded"
}

/** The refund notifications PaySys sent for a payment, at most its amount. */
async function refundedPerNotifications(container: MedusaContainer, partnerTransId: string, amount: bigint) {
  const notifications = await container
    .resolve<PaysysModuleService>(PAYSYS_MODULE)
    .listPaysysNotifications({ partner_trans_id: partnerTransId, reported_status: String(PaysysStatus.REFUNDED) }, { select: ["amount"] })
  const total = notifications.reduce((sum, n) => sum + BigInt(n.amount ?? "0"), 0n)
  return total < amount ? total : amount
}
