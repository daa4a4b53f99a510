import { PaysysStatus } from "../../paysys"
import { backoffAt } from "./look-schedule"
import { Attempt, entry } from "./ledger-types"
import { resolveRefundsInFlight } from "./refunds-in-flight"
import { mayReverse, RefundDeps, rowOf, sumAccepted } from "./refund-rules"
import { sendRefund } from "./send-refund"

/**
 * Gives back a paid attempt no order uses: a reversal within PaySys's 7 days, else a refund of
 * what is left. Resolves a lost answer from PaySys's status first. What PaySys refuses parks the
 * attempt for the merchant, tried again with backoff up to the horizon. The hosted form has no
 * call to give money back: its attempts are parked for the merchant to refund in the cabinet.
 */
export async function reverseAttempt(deps: RefundDeps, attempt: Attempt): Promise<Attempt> {
  const { ledger, schedule } = deps
  if (attempt.kind === "form" && attempt.paysys_status !== PaysysStatus.CANCELED) {
    return ledger.updateAttempt(
      attempt.partner_trans_id,
      {
        event: "reversal_impossible",
        outcome: `${attempt.outcome ?? "no_order"}: refund it in the PaySys cabinet`,
        next_check_at: null,
      },
      entry(
        "paid through the form but no order can use it: refund it in the PaySys cabinet (the form has no refund call)"
      )
    )
  }
  const ambiguous = await resolveRefundsInFlight(deps, attempt)
  const rows = await ledger.refunds.list(attempt.id)
  if (attempt.paysys_status === PaysysStatus.CANCELED || sumAccepted(rows, "refund") >= BigInt(attempt.amount)) {
    return ledger.updateAttempt(
      attempt.partner_trans_id,
      { event: "money_given_back", next_check_at: null },
      "money given back"
    )
  }
  if (ambiguous.length || rows.some((row) => row.state === "sending" || row.state === "unknown")) {
    // a call is in flight or its answer was lost: PaySys's status will tell later
    return ledger.updateAttempt(attempt.partner_trans_id, { next_check_at: backoffAt(schedule, attempt.checks) })
  }
  const base = { ...rowOf(attempt, { key: "", amount: attempt.amount, origin: "reconciliation" }) }
  const cancelTried = rows.some((row) => row.kind === "cancel")
  if (!cancelTried && mayReverse(attempt, rows, attempt.amount)) {
    const reversed = await sendRefund(deps, attempt, {
      ...base,
      key: `reversal:${attempt.partner_trans_id}`,
      kind: "cancel",
    })
    if (reversed.state === "accepted") {
      return ledger.updateAttempt(attempt.partner_trans_id, {
        event: "money_given_back",
        paysys_status: PaysysStatus.CANCELED,
        next_check_at: null,
      })
    }
    if (reversed.state !== "refused") {
      return ledger.updateAttempt(attempt.partner_trans_id, { next_check_at: backoffAt(schedule, attempt.checks) })
    }
  }
  const left = (BigInt(attempt.amount) - sumAccepted(rows, "refund")).toString()
  const refunded = await sendRefund(deps, attempt, {
    ...base,
    amount: left,
    key: `reversal-refund:${attempt.partner_trans_id}:${rows.length}`,
    kind: "refund",
  })
  if (refunded.state === "accepted") {
    return ledger.updateAttempt(
      attempt.partner_trans_id,
      { event: "money_given_back", next_check_at: null },
      "money given back"
    )
  }
  if (refunded.state === "refused") {
    const pastHorizon = Date.now() - attempt.created_at.getTime() > schedule.horizonMs
    return ledger.updateAttempt(
      attempt.partner_trans_id,
      {
        event: pastHorizon ? "reversal_refused_at_horizon" : "reversal_refused",
        last_error: refunded.error?.message ?? "refused",
        next_check_at: pastHorizon ? null : backoffAt(schedule, attempt.checks),
      },
      entry("PaySys refused to give the money back", null, refunded.error?.message)
    )
  }
  return ledger.updateAttempt(attempt.partner_trans_id, { next_check_at: backoffAt(schedule, attempt.checks) })
}
