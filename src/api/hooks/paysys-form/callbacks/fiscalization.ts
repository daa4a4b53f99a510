import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { FiscalizationRequest, formErrorAnswer, formSuccessAnswer, toFormAmount } from "../../../../paysys-form"
import { entry } from "../../../../modules/paysys/ledger-types"
import { FormCallbackContext, logFormCallback } from "./context"
import { FiscalReceiptError, fiscalReceiptOf } from "./fiscal-receipt"

/**
 * Fiscalization: the receipt of the order the payment placed (or of its cart, not completed
 * yet), kept on the attempt as sent. A receipt that cannot be made (a product without an IKPU code, the sum rule
 * broken), is -7 with the reason in the merchant's log and the attempt's history: PaySys asks
 * again, and the merchant sees what to fix.
 */
export async function answerFiscalization(context: FormCallbackContext, request: FiscalizationRequest) {
  const { ledger, container, options } = context
  const attempt = await ledger.forms.findByAgrTransId(request.AGR_TRANS_ID)
  if (!attempt || attempt.kind !== "form" || !attempt.form) {
    return formErrorAnswer("TRANSACTION_NOT_FOUND")
  }
  try {
    const amount = toFormAmount(attempt.amount, attempt.currency, { roundingMode: options.roundingMode })
    const sale = await saleOf(context, attempt.payment_collection_id)
    const receipt = await fiscalReceiptOf(container, sale, amount, {
      ikpuCode: options.shippingIkpuCode,
      vatPercent: options.shippingVatPercent,
    })
    await ledger.updateAttempt(
      attempt.partner_trans_id,
      { form: { ...attempt.form, receipts: { ...attempt.form.receipts, [request.TYPE]: receipt } } },
      entry(`Fiscalization ${request.TYPE} answered`)
    )
    return formSuccessAnswer({ PARAMETERS: receipt })
  } catch (error) {
    if (!(error instanceof FiscalReceiptError)) {
      throw error
    }
    logFormCallback(context, `Fiscalization of ${attempt.partner_trans_id} refused: ${error.message}`)
    await ledger.updateAttempt(
      attempt.partner_trans_id,
      {},
      entry(`Fiscalization ${request.TYPE} failed`, null, error.message)
    )
    return formErrorAnswer("UPDATE_FAILED")
  }
}

/** The order a payment collection paid, else its cart. */
async function saleOf(
  context: FormCallbackContext,
  paymentCollectionId: string
): Promise<{ entity: "order" | "cart"; id: string }> {
  const query = context.container.resolve(ContainerRegistrationKeys.QUERY)
  const filters = { payment_collection_id: paymentCollectionId }
  const { data: orders } = await query.graph({ entity: "order_payment_collection", fields: ["order_id"], filters })
  if (orders[0]?.order_id) {
    return { entity: "order", id: orders[0].order_id }
  }
  const { data: carts } = await query.graph({ entity: "cart_payment_collection", fields: ["cart_id"], filters })
  if (!carts[0]?.cart_id) {
    throw new FiscalReceiptError(`payment collection ${paymentCollectionId} has no order or cart`)
  }
  return { entity: "cart", id: carts[0].cart_id }
}
