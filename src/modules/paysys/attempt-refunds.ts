import { MedusaError } from "@medusajs/framework/utils"
import { PaysysStatus } from "../../paysys"
import { RefundRow, Attempt } from "./ledger-types"
import { resolveRefundsInFlight } from "./refunds-in-flight"
import { mayReverse, RefundDeps, RefundRequest, rowOf, sumAccepted } from "./refund-rules"
import { sendRefund } from "./send-refund"

export type { RefundDeps }

/**
 * Refunds a captured attempt, for a Medusa refund. `attempt` must be freshly checked
 * (check_payment), so a refund whose answer was lost is resolved from PaySys's status before
 * anything is sent again. A refund PaySys made that Medusa does not hold yet (its answer was
 * lost, or the merchant recorded one made in the PaySys cabinet) is booked instead of sent.
 */
export async function refundAttempt(deps: RefundDeps, attempt: Attempt, request: RefundRequest): Promise<RefundRow> {
  const { ledger } = deps
  const known = await ledger.refunds.find(request.key)
  if (known?.state === "accepted") {
    return known
  }
  if (known?.state === "refused") {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `PaySys refused this refund: ${known.error?.message ?? "no reason given"}`
    )
  }
  const ambiguous = await resolveRefundsInFlight(deps, attempt)
  if (ambiguous.length) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `The outcome of an earlier refund of ${attempt.partner_trans_id} is unknown (PaySys did not answer and its status cannot tell): check the PaySys cabinet and settle it in the order's PaySys panel first`
    )
  }
  const rows = await ledger.refunds.list(attempt.id)
  const unbooked = (await ledger.refunds.listUnbooked(attempt.id, deps.schedule.sendMarginMs)).find(
    (row) => row.amount === request.amount
  )
  if (unbooked) {
    return bookInstead(deps, unbooked, request.key)
  }
  // two Medusa refunds racing for one PaySys refund (an admin retry, reconciliation booking it):
  // the one that did not get it must not send another of the same amount
  const justBooked = rows.some(
    (row) =>
      row.amount === request.amount &&
      row.booked_as &&
      Date.now() - row.updated_at.getTime() < deps.schedule.sendMarginMs
  )
  if (justBooked) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `A refund of this amount of PaySys payment ${attempt.partner_trans_id} was recorded a moment ago; if you mean another one, try again in a minute`
    )
  }
  const status = attempt.paysys_status
  if (status === PaysysStatus.CANCELED) {
    // a reversed payment counts as fully refunded: Medusa records what PaySys already gave back
    return ledger.refunds.create({
      ...rowOf(attempt, request),
      kind: "cancel",
      start: "made_at_paysys",
      booked_as: request.key,
      status_before: status,
    })
  }
  if (status !== PaysysStatus.COMPLETED && status !== PaysysStatus.REFUNDED) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `PaySys payment ${attempt.partner_trans_id} took no money to refund (status ${status})`
    )
  }
  const refunded = sumAccepted(rows, "refund")
  if (refunded + BigInt(request.amount) > BigInt(attempt.amount)) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `Refunds of PaySys payment ${attempt.partner_trans_id} would exceed its amount (${attempt.amount} minor units, ${refunded} refunded)`
    )
  }
  if (request.allowCancel && mayReverse(attempt, rows, request.amount)) {
    const reversed = await sendRefund(
      deps,
      attempt,
      { ...rowOf(attempt, request), key: `${request.key}:cancel`, kind: "cancel" },
      request.key
    )
    if (reversed.state === "accepted") {
      return reversed
    }
  }
  const sent = await sendRefund(deps, attempt, { ...rowOf(attempt, request), kind: "refund" }, request.key)
  if (sent.state === "refused") {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `PaySys refused the refund: ${sent.error?.message ?? "no reason given"}`
    )
  }
  return sent
}

/**
 * Records, as the Medusa refund `medusaRefundId`, a refund PaySys already made: nothing is sent.
 * Refused when another Medusa refund took it a moment earlier, so it is never recorded twice.
 */
async function bookInstead(deps: RefundDeps, row: RefundRow, medusaRefundId: string): Promise<RefundRow> {
  if (!(await deps.ledger.refunds.book(row, medusaRefundId))) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `PaySys refund ${row.key} was recorded by another Medusa refund just now`
    )
  }
  return { ...row, booked_as: medusaRefundId }
}
