import { BigNumberInput, MedusaContainer } from "@medusajs/framework/types"
import { MathBN, Modules } from "@medusajs/framework/utils"
import { refundPaymentWorkflow } from "@medusajs/medusa/core-flows"
import type { Attempt } from "../../modules/paysys/ledger-types"
import { isOrderCollection } from "../cart-of-collection"

/** What is left of a Medusa payment once its refunds are taken off. */
export async function leftOfPayment(container: MedusaContainer, paymentId: string) {
  const payment = await container
    .resolve(Modules.PAYMENT)
    .retrievePayment(paymentId, { select: ["id", "amount", "currency_code"], relations: ["refunds"] })
  const refunded = (payment.refunds ?? []).reduce((sum, refund) => MathBN.add(sum, refund.amount), MathBN.convert(0))
  return { payment, refunded, left: MathBN.sub(payment.amount, refunded) }
}

/**
 * Records a Medusa refund of the attempt's payment: through Medusa's refund workflow when an order
 * holds the payment (its transactions follow), through the Payment Module when none does (the
 * workflow needs an order). Either way the provider books what PaySys already did and sends nothing.
 */
export async function recordMedusaRefund(
  container: MedusaContainer,
  attempt: Attempt,
  amount: BigNumberInput,
  note: string
) {
  if (await isOrderCollection(container, attempt.payment_collection_id)) {
    await refundPaymentWorkflow(container).run({ input: { payment_id: attempt.payment_id!, amount, note } })
  } else {
    await container.resolve(Modules.PAYMENT).refundPayment({ payment_id: attempt.payment_id!, amount, note })
  }
}
