import { MathBN, Modules } from "@medusajs/framework/utils"
import { Attempt, entry } from "../../modules/paysys/ledger-types"
import { isOrderCollection } from "../cart-of-collection"
import { SettleContext, Step } from "./context"
import { givingBackStarts } from "./decisions"
import { leftOfPayment } from "./medusa-payments"

/**
 * A paid attempt no order can use (`reason`): given back after the grace period, unless a cart
 * completion claims it meanwhile. The reversal starts in the ledger first; the attempt goes on
 * reversing, or captured if a Medusa payment took it at the last moment.
 */
export async function giveBackPaid({ paysys }: SettleContext, paid: Attempt, reason: string): Promise<Step> {
  const { ledger, schedule } = paysys
  const starts = givingBackStarts(paid.paid_at, schedule.reverseAfterMs, Date.now())
  if (starts !== "now") {
    await ledger.updateAttempt(
      paid.partner_trans_id,
      { outcome: reason, next_check_at: starts },
      entry("reversal scheduled", null, reason)
    )
    return { outcome: "reversal_scheduled" }
  }
  const claimedBefore = new Date(Date.now() - schedule.reverseAfterMs)
  if (!(await ledger.startReversal(paid.partner_trans_id, claimedBefore, reason))) {
    // a cart completion took it a moment ago: look again soon
    await ledger.updateAttempt(paid.partner_trans_id, { next_check_at: new Date(Date.now() + schedule.firstCheckMs) })
    return { outcome: "pending" }
  }
  // the last word before money goes back: a payment made meanwhile keeps it
  return { again: await ledger.recordCapture(await ledger.retrieveAttempt(paid.partner_trans_id)) }
}

/**
 * A captured payment whose collection no cart pays through any more (the shopper's calls
 * replaced it) and no order uses: no order can ever be placed with it. After the grace period it
 * is refunded through the Payment Module (no order is needed for that), so Medusa records what
 * PaySys gives back.
 */
export async function giveBackOrderless({ container, paysys }: SettleContext, attempt: Attempt): Promise<Step> {
  if (await isOrderCollection(container, attempt.payment_collection_id)) {
    return { outcome: "already_captured" }
  }
  if (givingBackStarts(attempt.paid_at, paysys.schedule.reverseAfterMs, Date.now()) !== "now") {
    await paysys.ledger.updateAttempt(
      attempt.partner_trans_id,
      { outcome: "cart_gone" },
      entry("refund scheduled", null, "cart_gone")
    )
    return { outcome: "reversal_scheduled" }
  }
  const { payment, left } = await leftOfPayment(container, attempt.payment_id!)
  if (MathBN.gt(left, 0)) {
    await container.resolve(Modules.PAYMENT).refundPayment({
      payment_id: payment.id,
      amount: left,
      note: "No order can use this payment; given back by the PaySys plugin",
    })
  }
  await paysys.ledger.updateAttempt(
    attempt.partner_trans_id,
    { outcome: "cart_gone" },
    entry("given back: no order can use it")
  )
  return { outcome: "reversed" }
}
