import {
  CancelRequest,
  decideCancel,
  decideNotify,
  formErrorAnswer,
  formSuccessAnswer,
  FormStatus,
  NOTIFY_STATUS,
  NotifyRequest,
  StatusDecision,
} from "../../../../paysys-form"
import { Attempt, CANCEL_CONTRADICTED_EVENT, entry } from "../../../../modules/paysys/ledger-types"
import { settlePaysysPayment } from "../../../../workflows/settlement/settle-paysys-payment"
import { FormCallbackContext, logFormCallback, underCollectionLock } from "./context"
import { formAttemptView } from "./form-views"

/**
 * Notify (2 paid, 3 cancelled) and Cancel (PaySys asks to cancel; we allow it unless done).
 * Recorded in the ledger before the answer; then the attempt is settled like any other: the
 * status API confirms a payment, and settling places the order (processPaymentWorkflow) even
 * if the shopper never returns, or records a cancellation as a Medusa refund once. A failure
 * while settling is left to the reconciliation job: the record is what PaySys needs.
 *
 * A Cancel, and a Notify 3 (cancelled), is recorded only once the status API no longer says
 * paid: it makes the attempt cancelled, and settling books the refund from it. The status API
 * cannot tell cancelled from unpaid, but its paid answer refutes a cancellation: one it
 * contradicts (a forged or replayed call) books nothing, is answered -4 (the transaction is
 * confirmed) and is left on the attempt for the merchant (CANCEL_CONTRADICTED_EVENT). When
 * the status API cannot be asked, the answer is -7 and PaySys calls again.
 */
export async function answerStatusChange(context: FormCallbackContext, request: NotifyRequest | CancelRequest) {
  const { ledger } = context
  const isNotify = "STATUS" in request
  const attempt = await ledger.forms.findByAgrTransId(request.AGR_TRANS_ID)
  if (!attempt || attempt.kind !== "form") {
    return formErrorAnswer("TRANSACTION_NOT_FOUND")
  }
  const cancels = isNotify ? request.STATUS === NOTIFY_STATUS.CANCELLED : true
  const decided = isNotify
    ? decideNotify(request, formAttemptView(attempt))
    : decideCancel(request, formAttemptView(attempt))
  if (cancels && decided.kind === "apply") {
    const status = await statusOf(context, attempt)
    if (status.paid) {
      const call = isNotify ? "Notify 3 (cancelled)" : "Cancel"
      await ledger.updateAttempt(
        attempt.partner_trans_id,
        { contradicted_at: new Date() },
        entry(
          CANCEL_CONTRADICTED_EVENT,
          null,
          `${isNotify ? `${call}: ` : ""}the status API answered ERROR ${status.error} ${status.note}; nothing was refunded: check the PaySys cabinet`
        )
      )
      logFormCallback(context, `${attempt.partner_trans_id}: ${call} refused (-4), PaySys's status API says paid`)
      return formErrorAnswer("ALREADY_PAID")
    }
  }
  const decision = await underCollectionLock(
    context,
    attempt.payment_collection_id,
    async (): Promise<StatusDecision> => {
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
    }
  )
  if (decision.kind === "refuse") {
    return formErrorAnswer(decision.error)
  }
  if (decision.kind === "apply") {
    await settlePaysysPayment(context.container, attempt.partner_trans_id).then(
      (outcome) => logFormCallback(context, `${attempt.partner_trans_id} settled: ${outcome}`),
      (error) =>
        logFormCallback(
          context,
          `${attempt.partner_trans_id} not settled yet (the job tries again): ${(error as Error).message}`
        )
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
