import { CancelRequest, decideCancel, decideNotify, formErrorAnswer, formSuccessAnswer, NotifyRequest, StatusDecision } from "../../../paysys-form"
import { entry } from "../../../modules/paysys/payment-ledger"
import { settlePaysysPayment } from "../../../workflows/settle-paysys-payment"
import { FormCallbackContext, logFormCallback, underCollectionLock } from "./context"
import { formAttemptView } from "./form-views"

/**
 * Notify (2 paid, 3 cancelled) and Cancel (PaySys asks to cancel; we allow it unless done).
 * Recorded in the ledger before the answer; then the attempt is settled like any other: the
 * status API confirms a payment, and settling places the order (processPaymentWorkflow) even
 * if the shopper never returns, or records a cancellation as a Medusa refund once. A failure
 * while settling is left to the reconciliation job: the record is what PaySys needs.
 */
export async function answerStatusChange(context: FormCallbackContext, request: NotifyRequest | CancelRequest) {
  const { ledger } = context
  const isNotify = "STATUS" in request
  const attempt = await ledger.findAttemptByAgrTransId(request.AGR_TRANS_ID)
  if (!attempt || attempt.kind !== "form") {
    return formErrorAnswer("TRANSACTION_NOT_FOUND")
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
