import { FormStatus, NOTIFY_STATUS } from "../../paysys-form"
import { PaymentStatusResult, PaysysStatus } from "../../paysys"
import { afterCheck, afterFailedCheck } from "./attempt-checks"
import { nextLookAt, Schedule } from "./look-schedule"
import { writeCheck } from "./write-check"
import { PaymentLedger } from "./payment-ledger"
import { Attempt, AttemptChange, entry } from "./ledger-types"

/** Asks the hosted form's status API about an attempt PaySys accepted a Pay for. */
export type FormStatusReader = (
  attempt: Attempt & { agr_trans_id: string; form: NonNullable<Attempt["form"]> }
) => Promise<FormStatus>

/**
 * The hosted form's counterpart of check_payment. What the callbacks recorded is the hint, the
 * status API the word: a cancellation (Notify 3 or an accepted Cancel, which the status API
 * cannot tell from "not paid yet") reads as PaySys's "canceled", a paid answer as "completed",
 * anything else as "still open"; the same state rules as card attempts then apply. Before Pay
 * PaySys cannot be asked: no money can move without our Pay answer, so the attempt is only
 * looked at again until the horizon, then closed (a later Pay is refused).
 */
export async function checkFormAttempt(
  read: FormStatusReader,
  ledger: PaymentLedger,
  attempt: Attempt,
  schedule: Schedule,
  source: string
): Promise<Attempt> {
  const { agr_trans_id: agrTransId, form } = attempt
  if (!agrTransId || !form) {
    const pastHorizon = Date.now() - attempt.created_at.getTime() > schedule.horizonMs
    const patch: AttemptChange = pastHorizon
      ? { event: "form_never_paid", outcome: "form_never_paid", next_check_at: null, checks: attempt.checks + 1 }
      : { checks: attempt.checks + 1, next_check_at: nextLookAt(schedule, attempt) }
    return ledger.updateAttempt(
      attempt.partner_trans_id,
      patch,
      pastHorizon ? entry(`form (${source}): no Pay came`) : undefined
    )
  }
  const cancelled = form.notified.includes(NOTIFY_STATUS.CANCELLED) || Boolean(form.cancel_accepted_at)
  let status: number = PaysysStatus.CANCELED
  let note: string | null = cancelled ? "cancelled (Notify 3 or Cancel)" : null
  if (!cancelled) {
    let answer: FormStatus
    try {
      answer = await read({ ...attempt, agr_trans_id: agrTransId, form })
    } catch (error) {
      const parked = afterFailedCheck(attempt, schedule, error).event
        ? entry(`payment_status (${source}): still failing at the horizon`)
        : undefined
      await writeCheck(ledger, attempt, (now) => afterFailedCheck(now, schedule, error), parked)
      throw error
    }
    status = answer.paid ? PaysysStatus.COMPLETED : 1
    note = `${answer.error} ${answer.note}`
  }
  const result: PaymentStatusResult = {
    transaction_id: agrTransId,
    partner_trans_id: attempt.partner_trans_id,
    status,
    data: {},
    err_obj: null,
  }
  return writeCheck(
    ledger,
    attempt,
    (now) => afterCheck(now, result, schedule),
    entry(`payment_status (${source})`, status, note)
  )
}
