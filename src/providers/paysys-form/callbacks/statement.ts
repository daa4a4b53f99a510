import { formSuccessAnswer, FormRoundingMode, NOTIFY_STATUS, StatementRequest, StatementTransaction, toFormAmount } from "../../../paysys-form"
import { Attempt } from "../../../modules/paysys/payment-ledger"
import { FormCallbackContext } from "./context"
import { formAttemptView } from "./form-views"

/**
 * Statement: the ledger's form payments whose Pay was accepted within [FROM, TO] (#14), in this
 * deployment's environment, as PaySys told us: paid (Notify 2) or cancelled (Notify 3, Cancel);
 * one whose Notify never came is not listed.
 */
export async function answerStatement(context: FormCallbackContext, request: StatementRequest) {
  const { ledger, options } = context
  const attempts = await ledger.listFormPayments(new Date(Number(request.FROM)), new Date(Number(request.TO)), options.environment)
  const lines = attempts.map((attempt) => statementLine(attempt, options.roundingMode)).filter((line) => line !== null)
  return formSuccessAnswer({ TRANSACTIONS: lines })
}

function statementLine(attempt: Attempt, roundingMode: FormRoundingMode): StatementTransaction | null {
  const view = formAttemptView(attempt)
  if (!view || view.state === "pay_accepted") {
    return null
  }
  return {
    ENVIRONMENT: attempt.form!.environment,
    AGR_TRANS_ID: Number(attempt.agr_trans_id),
    VENDOR_TRANS_ID: attempt.vendor_trans_id,
    MERCHANT_TRANS_ID: attempt.partner_trans_id,
    MERCHANT_TRANS_AMOUNT: Number(toFormAmount(attempt.amount, attempt.currency, { roundingMode })),
    STATE: view.state === "cancelled" ? NOTIFY_STATUS.CANCELLED : NOTIFY_STATUS.PAID,
    DATE: view.payAcceptedAt,
  }
}
