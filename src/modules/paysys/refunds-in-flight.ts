import { PaysysStatus } from "../../paysys"
import type { Attempt, RefundRow } from "./ledger-types"
import { madeAccordingToStatus, RefundDeps } from "./refund-rules"

/**
 * Refunds whose answer was lost, settled from the attempt's fresh PaySys status: a reversal
 * happened if the payment is canceled; a refund happened if the payment was untouched before
 * and is refunded now, and did not if it is still untouched. A refund sent on an already
 * refunded payment cannot be told from the status: it stays unknown, for the merchant.
 */
export async function resolveRefundsInFlight(deps: RefundDeps, attempt: Attempt): Promise<RefundRow[]> {
  const { ledger, schedule } = deps
  const status = attempt.paysys_status
  const settledBefore = Date.now() - schedule.sendMarginMs
  const rows = await ledger.refunds.list(attempt.id)
  const ambiguous: RefundRow[] = []
  const recordedReversal = rows.find((row) => row.kind === "cancel" && row.state === "accepted")
  for (const row of rows.filter((row) => row.state === "unknown" || row.state === "sending")) {
    // a call that timed out may still reach PaySys: only what the status shows is done is
    // settled at once; "not made" and "cannot tell" wait until the call cannot land any more
    const old = row.created_at.getTime() < settledBefore
    if (row.state === "sending" && !old) {
      continue // being sent right now
    }
    if (row.kind === "cancel" && recordedReversal && status === PaysysStatus.CANCELED) {
      // PaySys reverses a payment once: this is the reversal already recorded as that row
      await ledger.refunds.update(row.id, {
        event: "same_as_recorded_reversal",
        error: { code: 0, message: `the same reversal as ${recordedReversal.key}` },
      })
      continue
    }
    const happened = madeAccordingToStatus(row, status)
    if (happened === true) {
      await ledger.refunds.update(row.id, { event: "status_shows_made" })
    } else if (old && happened === false) {
      await ledger.refunds.update(row.id, {
        event: "status_shows_not_made",
        error: { code: 0, message: "PaySys did not make it (its answer was lost)" },
      })
    } else if (old) {
      ambiguous.push(await ledger.refunds.update(row.id, { event: "status_cannot_tell" }))
    }
  }
  return ambiguous
}
