import { MedusaError } from "@medusajs/framework/utils"
import { PaysysError, PaysysRateLimitedError } from "../../paysys"
import { notBeforeRetryAfter } from "./look-schedule"
import { Attempt, entry, RefundRow } from "./ledger-types"
import type { RefundLedger } from "./refund-ledger"
import { RefundDeps } from "./refund-rules"

/**
 * Writes the row, then calls PaySys: accepted, refused (PaySys said no) or unknown (no answer).
 * `medusaRefundId` is the Medusa refund it is made for; reconciliation's reversals have none.
 */
export async function sendRefund(
  deps: RefundDeps,
  attempt: Attempt,
  row: Parameters<RefundLedger["create"]>[0],
  medusaRefundId: string | null = null
): Promise<RefundRow> {
  const { client, ledger } = deps
  if (!client) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      "PaySys's payment form has no refund call: refund this payment in the PaySys cabinet; Medusa records the refund when PaySys cancels the payment"
    )
  }
  const recorded = await ledger.refunds.create({ ...row, status_before: attempt.paysys_status })
  try {
    const answer =
      row.kind === "cancel"
        ? await client.cancelPayment({ partner_trans_id: attempt.partner_trans_id })
        : await client.refundPayment({
            partner_trans_id: attempt.partner_trans_id,
            amount: row.amount,
            currency: attempt.currency,
          })
    await ledger.updateAttempt(
      attempt.partner_trans_id,
      { paysys_status: answer.status },
      entry(`${row.kind} accepted`, answer.status, row.amount)
    )
  } catch (error) {
    if (error instanceof PaysysError) {
      return ledger.refunds.update(recorded.id, {
        event: "paysys_refused",
        error: { code: error.code, message: error.paysysMessage },
      })
    }
    if (error instanceof PaysysRateLimitedError) {
      // over PaySys's limit, nothing was done: the same call goes again, not before Retry-After;
      // thrown on, so that background work pauses (the call budget)
      await ledger.refunds.forgetUnsent(recorded.id)
      const next_check_at = notBeforeRetryAfter(new Date(), error)
      await ledger.updateAttempt(
        attempt.partner_trans_id,
        { next_check_at },
        entry(`${row.kind} not sent`, null, error.message)
      )
      throw error
    }
    await ledger.refunds.update(recorded.id, {
      event: "no_answer",
      error: { code: 0, message: (error as Error).message.slice(0, 500) },
    })
    // its outcome is settled from PaySys's status by reconciliation, soon
    await ledger.updateAttempt(attempt.partner_trans_id, {
      next_check_at: new Date(Date.now() + deps.schedule.firstCheckMs),
    })
    throw error
  }
  return ledger.refunds.update(recorded.id, { event: "paysys_accepted", booked_as: medusaRefundId })
}
