import { Modules } from "@medusajs/framework/utils"
import { decidePay, formErrorAnswer, formSuccessAnswer, PayRequest } from "../../../../paysys-form"
import { PaysysMoney, toPaysysAmount } from "../../../../modules/paysys/money"
import { Attempt, FormRecord } from "../../../../modules/paysys/ledger-types"
import { FormCallbackContext, underCollectionLock } from "./context"
import { formAttemptView, formOrderView } from "./form-views"

/**
 * Pay: PaySys asks whether it may debit. Accepted, the attempt gets its AGR_TRANS_ID and
 * answers its VENDOR_TRANS_ID; the same Pay again gets the same answer. One AGR_TRANS_ID per
 * attempt: a second PSP transaction for one MERCHANT_TRANS_ID is refused (-4), so one order is
 * never debited twice.
 */
export async function answerPay(context: FormCallbackContext, request: PayRequest) {
  const { ledger, options } = context
  const found = await ledger.findAttempt(request.MERCHANT_TRANS_ID)
  const attempt = found?.kind === "form" ? found : null
  const decide = async () => {
    const current = attempt && (await ledger.retrieveAttempt(attempt.partner_trans_id))
    const view = current && formAttemptView(current)
    return {
      current,
      decision: decidePay({
        request,
        vendorId: options.vendorId,
        deployment: options.environment,
        order: current
          ? formOrderView(
              current,
              await ledger.listCollectionAttempts(current.payment_collection_id),
              await dueOf(context, current),
              options
            )
          : null,
        attempts: view ? [view] : [],
        now: Date.now(),
        pendingAttemptTtlMs: options.pendingAttemptTtlMs,
      }),
    }
  }
  if (!attempt) {
    const { decision } = await decide()
    return decision.kind === "refuse" ? formErrorAnswer(decision.error) : formErrorAnswer("USER_NOT_FOUND")
  }
  return underCollectionLock(context, attempt.payment_collection_id, async () => {
    const { current, decision } = await decide()
    if (decision.kind === "refuse") {
      return formErrorAnswer(decision.error)
    }
    if (decision.kind === "repeat") {
      return formSuccessAnswer({ VENDOR_TRANS_ID: decision.vendorTransId })
    }
    if (current!.agr_trans_id) {
      // another PSP transaction for this attempt, after the first one's time ran out
      return formErrorAnswer("ALREADY_PAID")
    }
    const form: FormRecord = {
      payment_system_id: request.PAYMENT_ID,
      payment_name: request.PAYMENT_NAME,
      environment: request.ENVIRONMENT,
      pay_accepted_at: new Date().toISOString(),
      notified: [],
    }
    const accepted = await ledger.forms.acceptPay(
      current!.partner_trans_id,
      request.AGR_TRANS_ID,
      form,
      new Date(Date.now() + context.paysys.schedule.firstCheckMs)
    )
    return accepted
      ? formSuccessAnswer({ VENDOR_TRANS_ID: current!.vendor_trans_id })
      : formErrorAnswer("UPDATE_FAILED")
  })
}

/**
 * What the cart owes the form now: its payment collection's amount; null when the form's session
 * is gone (the shopper chose another method, or the cart changed), so PaySys must not debit it.
 */
async function dueOf(context: FormCallbackContext, attempt: Attempt): Promise<PaysysMoney | null> {
  const payment = context.container.resolve(Modules.PAYMENT)
  const [session] = await payment.listPaymentSessions({ id: attempt.session_id }, { select: ["id"] })
  const [collection] = session
    ? await payment.listPaymentCollections(
        { id: attempt.payment_collection_id },
        { select: ["id", "amount", "currency_code"] }
      )
    : []
  return collection ? toPaysysAmount(collection.amount, collection.currency_code) : null
}
