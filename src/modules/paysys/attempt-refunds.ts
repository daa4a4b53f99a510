import { MedusaError } from "@medusajs/framework/utils"
import { PaysysClient, PaysysError, PaysysRateLimitedError, PaysysStatus } from "../../paysys"
import { backoffAt, notBeforeRetryAfter, Schedule } from "./look-schedule"
import { PaymentLedger } from "./payment-ledger"
import { Attempt, entry, RefundRow } from "./ledger-types"
import type { RefundLedger } from "./refund-ledger"

/** PaySys allows a reversal (cancel_payment) within 7 days of the payment. */
const REVERSAL_WINDOW_MS = 7 * 24 * 60 * 60 * 1000

/** `client` null: the hosted form, which has no call to give money back (only booking what PaySys did) */
export type RefundDeps = { client: PaysysClient | null; ledger: PaymentLedger; schedule: Schedule }

type RefundRequest = {
  /** Medusa's refund id: the same refund is never sent twice */
  key: string
  /** minor units */
  amount: string
  origin: RefundRow["origin"]
  /** a full refund may go as a reversal (refundByCancel) */
  allowCancel: boolean
}

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
    const reversed = await send(
      deps,
      attempt,
      { ...rowOf(attempt, request), key: `${request.key}:cancel`, kind: "cancel" },
      request.key
    )
    if (reversed.state === "accepted") {
      return reversed
    }
  }
  const sent = await send(deps, attempt, { ...rowOf(attempt, request), kind: "refund" }, request.key)
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
    const reversed = await send(deps, attempt, { ...base, key: `reversal:${attempt.partner_trans_id}`, kind: "cancel" })
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
  const refunded = await send(deps, attempt, {
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
    const happened =
      row.kind === "cancel"
        ? status === PaysysStatus.CANCELED
          ? true
          : status === PaysysStatus.COMPLETED || status === PaysysStatus.REFUNDED
            ? false
            : null
        : status === PaysysStatus.COMPLETED
          ? false
          : status === PaysysStatus.REFUNDED && row.status_before === PaysysStatus.COMPLETED
            ? true
            : null
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

/**
 * Writes the row, then calls PaySys: accepted, refused (PaySys said no) or unknown (no answer).
 * `medusaRefundId` is the Medusa refund it is made for; reconciliation's reversals have none.
 */
async function send(
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

function rowOf(attempt: Attempt, request: Omit<RefundRequest, "allowCancel">) {
  return {
    attempt_id: attempt.id,
    partner_trans_id: attempt.partner_trans_id,
    key: request.key,
    origin: request.origin,
    amount: request.amount,
    currency: attempt.currency,
  }
}

function mayReverse(attempt: Attempt, rows: RefundRow[], amount: string): boolean {
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
