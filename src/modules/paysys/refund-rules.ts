import { PaysysClient, PaysysStatus } from "../../paysys"
import type { Schedule } from "./look-schedule"
import type { Attempt, RefundRow } from "./ledger-types"
import type { PaymentLedger } from "./payment-ledger"

/*
 * The rules of giving money back: pure functions of the attempt, its refund rows and PaySys's status.
 */

const REVERSAL_WINDOW_MS = 7 * 24 * 60 * 60 * 1000

/** `client` null: the hosted form, which has no call to give money back (only booking what PaySys did) */
export type RefundDeps = { client: PaysysClient | null; ledger: PaymentLedger; schedule: Schedule }

export type RefundRequest = {
  /** Medusa's refund id: the same refund is never sent twice */
  key: string
  /** minor units */
  amount: string
  origin: RefundRow["origin"]
  /** a full refund may go as a reversal (refundByCancel) */
  allowCancel: boolean
}

export function rowOf(attempt: Attempt, request: Omit<RefundRequest, "allowCancel">) {
  return {
    attempt_id: attempt.id,
    partner_trans_id: attempt.partner_trans_id,
    key: request.key,
    origin: request.origin,
    amount: request.amount,
    currency: attempt.currency,
  }
}

export function mayReverse(attempt: Attempt, rows: RefundRow[], amount: string): boolean {
  const paidAt = attempt.paid_at?.getTime() ?? NaN
  return (
    amount === attempt.amount &&
    !rows.some((row) => row.state === "accepted") &&
    attempt.paysys_status === PaysysStatus.COMPLETED &&
    Date.now() - paidAt < REVERSAL_WINDOW_MS
  )
}

/** Minor units PaySys accepted to give back, by refund_payment ("refund") or at all. */
export function sumAccepted(rows: Pick<RefundRow, "kind" | "state" | "amount">[], kind?: RefundRow["kind"]): bigint {
  return rows
    .filter((row) => row.state === "accepted" && (!kind || row.kind === kind))
    .reduce((sum, row) => sum + BigInt(row.amount), 0n)
}

/**
 * Whether a refund call whose answer was lost was made, from the payment's fresh PaySys status: a
 * reversal happened if the payment is canceled; a refund happened if the payment was untouched
 * before and is refunded now, and did not if it is still untouched. Null: the status cannot tell.
 */
export function madeAccordingToStatus(
  row: Pick<RefundRow, "kind" | "status_before">,
  status: number | null
): boolean | null {
  if (row.kind === "cancel") {
    if (status === PaysysStatus.CANCELED) {
      return true
    }
    return status === PaysysStatus.COMPLETED || status === PaysysStatus.REFUNDED ? false : null
  }
  if (status === PaysysStatus.COMPLETED) {
    return false
  }
  return status === PaysysStatus.REFUNDED && row.status_before === PaysysStatus.COMPLETED ? true : null
}
