import { RefundPaymentInput, RefundPaymentOutput } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { refundAttempt } from "../../modules/paysys/attempt-refunds"
import { toPaysysAmount } from "../../modules/paysys/money"
import { CardProviderContext } from "./card-context"
import { checkCardAttempt } from "./card-checks"
import { cardSessionData, withAttempt } from "./session-data"
import { toMedusaError } from "./to-medusa-error"

/**
 * An admin refund or an order cancellation. Recorded in the ledger before PaySys hears of it,
 * keyed by Medusa's refund id; PaySys's current status is read first, so a refund whose
 * answer was lost is resolved before anything is sent again.
 */
export async function refundCardPayment(
  ctx: CardProviderContext,
  { amount, data, context }: RefundPaymentInput
): Promise<RefundPaymentOutput> {
  const { ledger } = ctx
  const current = cardSessionData(data)
  const { amount: minor } = toPaysysAmount(amount, current.currency)
  const key = context?.idempotency_key
  if (!key) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "A PaySys refund needs Medusa's refund id")
  }
  // the attempt is this payment's from now on, whatever reconciliation has seen of it yet
  const attempt = await ledger.recordCapture(
    await checkCardAttempt(ctx, await ledger.retrieveAttempt(current.partner_trans_id), "refund")
  )
  try {
    const refund = await refundAttempt({ client: ctx.client, ledger, schedule: ctx.schedule }, attempt, {
      key,
      amount: minor,
      origin: "medusa",
      allowCancel: ctx.options.refundByCancel,
    })
    const via = refund.origin === "external" ? "paysys" : refund.kind
    const refunds = [
      ...current.refunds.filter((r) => r.key !== key),
      { key, amount: refund.amount, via, at: new Date().toISOString() },
    ]
    const data = withAttempt(current, await ledger.retrieveAttempt(attempt.partner_trans_id), ctx.declines)
    return { data: { ...data, refunds } }
  } catch (error) {
    throw toMedusaError(error, "refund the payment")
  }
}
