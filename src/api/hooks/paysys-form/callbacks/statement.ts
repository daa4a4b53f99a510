import {
  formSuccessAnswer,
  FormRoundingMode,
  NOTIFY_STATUS,
  STATEMENT_MAX_TRANSACTIONS,
  StatementRequest,
  StatementTransaction,
  toFormAmount,
} from "../../../../paysys-form"
import { Attempt } from "../../../../modules/paysys/ledger-types"
import { FormCallbackContext, logFormCallback } from "./context"
import { formAttemptView } from "./form-views"

/**
 * Statement: the ledger's form payments whose Pay was accepted within [FROM, TO] (at most
 * 31 days, checked with the signature), in this deployment's environment, as PaySys told us:
 * paid (Notify 2) or cancelled (Notify 3, Cancel); one whose Notify never came is not listed.
 * At most STATEMENT_MAX_TRANSACTIONS, the oldest.
 */
export async function answerStatement(context: FormCallbackContext, request: StatementRequest) {
  const { ledger, options } = context
  const from = new Date(Number(request.FROM))
  const to = new Date(Number(request.TO))
  const attempts = await ledger.forms.listPayments(from, to, options.environment, STATEMENT_MAX_TRANSACTIONS)
  if (attempts.length === STATEMENT_MAX_TRANSACTIONS) {
    logFormCallback(
      context,
      `Statement ${from.toISOString()}..${to.toISOString()} lists the first ${STATEMENT_MAX_TRANSACTIONS} payments only`
    )
  }
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
