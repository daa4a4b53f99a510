import { RefundPaymentInput, RefundPaymentOutput } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { refundAttempt } from "../../modules/paysys/attempt-refunds"
import { toPaysysAmount } from "../../modules/paysys/money"
import { FormProviderContext } from "./form-context"
import { formSessionData } from "./session-data"

/**
 * The form protocol has no refund call. Medusa records a refund only when PaySys cancelled
 * the payment (Notify 3 or an accepted Cancel): then it books what PaySys gave back; any
 * other refund is refused with what to do, and nothing is recorded.
 */
export async function refundFormPayment(
  ctx: FormProviderContext,
  { amount, data, context }: RefundPaymentInput
): Promise<RefundPaymentOutput> {
  const { ledger } = ctx
  const current = formSessionData(data)
  const key = context?.idempotency_key
  if (!key) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "A PaySys refund needs Medusa's refund id")
  }
  const { amount: minor } = toPaysysAmount(amount, current.currency)
  const attempt = await ledger.recordCapture(await ledger.retrieveAttempt(current.partner_trans_id))
  const refund = await refundAttempt({ client: null, ledger, schedule: ctx.schedule }, attempt, {
    key,
    amount: minor,
    origin: "medusa",
    allowCancel: false,
  })
  const refunds = [
    ...current.refunds.filter((r) => r.key !== key),
    { key, amount: refund.amount, via: "paysys" as const, at: new Date().toISOString() },
  ]
  return { data: { ...current, refunds } }
}
