import { FormAttemptView, FormOrderView, NOTIFY_STATUS, toFormAmount } from "../../../../paysys-form"
import { Attempt } from "../../../../modules/paysys/ledger-types"
import { PaysysMoney } from "../../../../modules/paysys/money"
import { PaysysFormOptions } from "../../../../modules/paysys/form-options"

/**
 * The ledger as the form protocol's pure decisions (decidePay, decideNotify, decideCancel) see
 * it: a form attempt is the "order" PaySys names by MERCHANT_TRANS_ID, and, once its Pay was
 * accepted, the one PSP transaction of it.
 */
export function formAttemptView(attempt: Attempt): FormAttemptView | null {
  if (!attempt.agr_trans_id || !attempt.form) {
    return null
  }
  const { form } = attempt
  const cancelled =
    form.notified.includes(NOTIFY_STATUS.CANCELLED) || Boolean(form.cancel_accepted_at) || attempt.state === "reversed"
  const paid = form.notified.includes(NOTIFY_STATUS.PAID) || attempt.state === "paid" || attempt.state === "captured"
  return {
    agrTransId: attempt.agr_trans_id,
    vendorTransId: attempt.vendor_trans_id,
    state: cancelled ? "cancelled" : paid ? "paid" : "pay_accepted",
    payAcceptedAt: new Date(form.pay_accepted_at).getTime(),
  }
}

/**
 * The order a Pay is for: its amount in whole sum, and whether the cart was paid or given up.
 * A form whose amount is no longer what the cart owes (`due`: its payment collection now; the
 * cart changed, its session made a newer attempt) is given up: PaySys must not debit it.
 */
export function formOrderView(
  attempt: Attempt,
  collectionAttempts: readonly Attempt[],
  due: PaysysMoney | null,
  options: PaysysFormOptions
): FormOrderView {
  const others = collectionAttempts.filter((other) => other.id !== attempt.id)
  const paidElsewhere = others.some((other) => other.state === "paid" || other.state === "captured")
  const superseded =
    !due ||
    due.amount !== attempt.amount ||
    due.currency !== attempt.currency ||
    others.some((other) => other.session_id === attempt.session_id && other.created_at > attempt.created_at)
  const closed = superseded || ["failed", "never_sent", "reversing", "reversed", "attention"].includes(attempt.state)
  return {
    amount: toFormAmount(attempt.amount, attempt.currency, { roundingMode: options.roundingMode }),
    state:
      paidElsewhere || attempt.state === "paid" || attempt.state === "captured"
        ? "paid"
        : closed
          ? "cancelled"
          : "open",
  }
}
