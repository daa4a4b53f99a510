import { MathBN } from "@medusajs/framework/utils"
import { PaysysStatus } from "../../paysys"
import { resolveRefundsInFlight } from "../../modules/paysys/refunds-in-flight"
import { backoffAt } from "../../modules/paysys/look-schedule"
import { fromPaysysAmount, toPaysysAmount } from "../../modules/paysys/money"
import { Attempt, entry } from "../../modules/paysys/ledger-types"
import { refundDeps, SettleContext, Step } from "./context"
import { actionForCaptured, graceEnds, nextLookOfCaptured } from "./decisions"
import { leftOfPayment, recordMedusaRefund } from "./medusa-payments"
import { placeOrderIfMissing } from "./place-order"

/**
 * An order's payment. A reversal made at PaySys is the whole payment and becomes a Medusa
 * refund of what is left; a refund the ledger cannot explain is shown to the merchant, who
 * records it with its amount: it is never booked from a notification.
 */
export async function settleCaptured(ctx: SettleContext, attempt: Attempt): Promise<Step> {
  const { ledger, schedule } = ctx.paysys
  const ambiguous = await resolveRefundsInFlight(refundDeps(ctx), attempt)
  const bookLater = await bookRefundsPaysysMade(ctx, attempt)
  const rows = await ledger.refunds.list(attempt.id)
  // a call that may still reach PaySys, or whose answer is lost but not old enough to judge
  const inFlight = rows.some(
    (row) => (row.state === "sending" || row.state === "unknown") && !ambiguous.some((a) => a.id === row.id)
  )
  let step: Step
  switch (
    actionForCaptured({
      paysysStatus: attempt.paysys_status,
      refunds: rows,
      unresolved: inFlight || ambiguous.length > 0,
    })
  ) {
    case "record_reversal":
      step = { outcome: await recordReversalMadeAtPaysys(ctx, attempt) }
      break
    case "show_unexplained_refund":
      await ledger.updateAttempt(
        attempt.partner_trans_id,
        { outcome: "refund_unexplained" },
        entry("PaySys reports a refund Medusa did not make: record it with its amount in the order's PaySys panel")
      )
      step = { outcome: "refund_unexplained" }
      break
    case "place_order_if_missing":
      step = await placeOrderIfMissing(ctx, attempt)
      break
    default:
      step = { outcome: "refund_noted" }
  }
  if ("again" in step) {
    return step
  }
  // settled: nothing to look at until PaySys says something new (a notification, a refresh)
  const next = nextLookOfCaptured({
    inFlight,
    outcome: step.outcome,
    backoff: backoffAt(schedule, attempt.checks),
    graceEnds: graceEnds(attempt.paid_at, schedule.reverseAfterMs, Date.now()),
    bookLater,
  })
  await ledger.updateAttempt(attempt.partner_trans_id, { next_check_at: next })
  return step
}

/**
 * Refunds the plugin sent whose answer was lost, and that PaySys's status shows were made:
 * their amount is the ledger's own, so Medusa records them (the provider books the ledger row
 * of that amount and sends nothing). Left a moment after their answer, for an admin's retry to
 * take first. Answers when to look again for those not due yet.
 */
async function bookRefundsPaysysMade({ container, paysys }: SettleContext, attempt: Attempt): Promise<Date | null> {
  const margin = paysys.schedule.sendMarginMs
  const unbooked = (await paysys.ledger.refunds.listUnbooked(attempt.id, margin)).filter(
    (row) => row.origin === "medusa"
  )
  const due = unbooked.filter((row) => Date.now() - row.updated_at.getTime() >= margin)
  for (const row of due) {
    const { payment, refunded } = await leftOfPayment(container, attempt.payment_id!)
    const amount = fromPaysysAmount(row.amount, attempt.currency)
    if (MathBN.gt(MathBN.add(refunded, amount), payment.amount)) {
      // Medusa holds more than this would leave: shown to the merchant, never forced in
      continue
    }
    await recordMedusaRefund(
      container,
      attempt,
      amount,
      "Refunded at PaySys (its answer was lost); recorded by the PaySys plugin"
    )
  }
  const waiting = unbooked.filter((row) => !due.includes(row)).map((row) => row.updated_at.getTime() + margin)
  return waiting.length ? new Date(Math.min(...waiting)) : null
}

async function recordReversalMadeAtPaysys({ container, paysys }: SettleContext, attempt: Attempt) {
  const { payment, left } = await leftOfPayment(container, attempt.payment_id!)
  if (MathBN.lte(left, 0)) {
    return "refund_noted" as const
  }
  const { amount } = toPaysysAmount(left, payment.currency_code)
  // the ledger row first: the provider books it instead of sending anything
  await paysys.ledger.refunds.create({
    attempt_id: attempt.id,
    partner_trans_id: attempt.partner_trans_id,
    key: `external-reversal:${attempt.partner_trans_id}`,
    kind: "cancel",
    origin: "external",
    amount,
    currency: attempt.currency,
    start: "made_at_paysys",
    status_before: PaysysStatus.CANCELED,
  })
  await recordMedusaRefund(container, attempt, left, "Reversed at PaySys; recorded by the PaySys plugin")
  return "refund_recorded" as const
}
