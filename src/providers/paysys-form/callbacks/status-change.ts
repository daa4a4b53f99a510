import { CancelRequest, decideCancel, decideNotify, formErrorAnswer, formSuccessAnswer, FormStatus, NotifyRequest, StatusDecision } from "../../../paysys-form"
import { Attempt, CANCEL_CONTRADICTED_EVENT, entry } from "../../../modules/paysys/payment-ledger"
import { settlePaysysPayment } from "../../../workflows/settle-paysys-payment"
import { FormCallbackContext, logFormCallback, underCollectionLock } from "./context"
import { formAttemptView } from "./form-views"

/**
 * Notify (2 paid, 3 cancelled) and Cancel (PaySys asks to cancel; we allow it unless done).
 * Recorded in the ledger before the answer; then the attempt is settled like any other: the
 * status API confirms a payment, and settling places the order (processPaymentWorkflow) even
 * if the shopper never returns, or records a cancellation as a Medusa refund once. A failure
 * while settling is left to the reconciliation job: the record is what PaySys needs.
 *
 * A Cancel is recorded only once the status API no longer says paid: an accepted Cancel makes
 * the attempt cancelled, and settling books the refund from it. One the status API contradicts
 * (still paid: a forged or replayed Cancel) books nothing, is answered -4 (cancelling a confirmed
 * transaction, §7) and is left on the attempt for the merchant (CANCEL_CONTRADICTED_EVENT).
 */
export async function answerStatusChange(context: FormCallbackContext, request: NotifyRequest | CancelRequest) {
  const { ledger } = context
  const isNotify = "STATUS" in request
  const attempt = await ledger.findAttemptByAgrTransId(request.AGR_TRANS_ID)
  if (!attempt || attempt.kind !== "form") {
    return formErrorAnswer("TRANSACTION_NOT_FOUND")
  }
  if (!isNotify && decideCancel(request, formAttemptView(attempt)).kind === "apply") {
    const status = await statusOf(context, attempt)
    if (status.paid) {
      await ledger.updateAttempt(
        attempt.partner_trans_id,
        {},
        entry(CANCEL_CONTRADICTED_EVENT, null, `the status API answered ERROR ${status.error} ${status.note}; nothing was refunded: check the PaySys cabinet`)
      )
      logFormCallback(context, `${attempt.partner_trans_id}: Cancel refused (-4), PaySys's status API says paid`)
      return formErrorAnswer("ALREADY_PAID")
    }
  }
  const decision = await underCollectionLock(context, attempt.payment_collection_id, async (): Promise<StatusDecision> => {
    const current = await ledger.retrieveAttempt(attempt.partner_trans_id)
    const view = formAttemptView(current)
    const decided = isNotify ? decideNotify(request, view) : decideCancel(request, view)
    const event = isNotify ? `Notify ${request.STATUS}` : "Cancel"
    if (decided.kind === "refuse") {
      return decided
    }
    if (decided.kind === "ignore") {
      await ledger.updateAttempt(current.partner_trans_id, {}, entry(`${event} again`, null, decided.reason))
      return decided
    }
    const form = current.form!
    await ledger.updateAttempt(
      current.partner_trans_id,
      {
        form: isNotify
          ? { ...form, notified: [...form.notified, request.STATUS] }
          : { ...form, cancel_accepted_at: new Date().toISOString() },
        next_check_at: new Date(),
      },
      entry(isNotify ? `${event} recorded` : "Cancel accepted")
    )
    return decided
  })
  if (decision.kind === "refuse") {
    return formErrorAnswer(decision.error)
  }
  if (decision.kind === "apply") {
    await settlePaysysPayment(context.container, attempt.partner_trans_id).then(
      (outcome) => logFormCallback(context, `${attempt.partner_trans_id} settled: ${outcome}`),
      (error) => logFormCallback(context, `${attempt.partner_trans_id} not settled yet (the job tries again): ${(error as Error).message}`)
    )
  }
  return formSuccessAnswer()
}

/** The status API's word on the attempt (a failure to ask is thrown: the caller answers -7, PaySys asks again). */
function statusOf(context: FormCallbackContext, attempt: Attempt): Promise<FormStatus> {
  const read = context.paysys.formStatus
  if (!read || !attempt.agr_trans_id || !attempt.form) {
    throw new Error(`cannot ask the status API about ${attempt.partner_trans_id}`)
  }
  return read({ ...attempt, agr_trans_id: attempt.agr_trans_id, form: attempt.form })
}
