import { formErrorAnswer, formSuccessAnswer, InfoRequest, toFormAmount } from "../../../../paysys-form"
import { FormCallbackContext } from "./context"

/** Info: reference data of an order, no personal data (INFO_PARAMETERS_MAY_HOLD_PII): its id and amount in whole sum. */
export async function answerInfo(context: FormCallbackContext, request: InfoRequest) {
  const attempt = await context.ledger.findAttempt(request.MERCHANT_TRANS_ID)
  if (!attempt || attempt.kind !== "form") {
    return formErrorAnswer("USER_NOT_FOUND")
  }
  const amount = Number(toFormAmount(attempt.amount, attempt.currency, { roundingMode: context.options.roundingMode }))
  return formSuccessAnswer({ PARAMETERS: { order: attempt.partner_trans_id, amount } })
}
