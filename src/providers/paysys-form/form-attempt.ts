import { InitiatePaymentInput } from "@medusajs/framework/types"
import { buildFormFields, WIDGET_FORM_URL, WIDGET_SCRIPT_URL } from "../../paysys-form"
import { formUrlOf } from "../../modules/paysys/form-options"
import { attemptNumber } from "../../modules/paysys/ledger-types"
import { PaysysMoney, toPaysysAmount } from "../../modules/paysys/money"
import { partnerTransIdFor } from "../paysys/session-data"
import { toMedusaError } from "../paysys/to-medusa-error"
import { FormProviderContext } from "./form-context"
import { PaysysFormSessionData } from "./session-data"

/**
 * Signs the fields of the session's next attempt, then writes the attempt to the ledger: an
 * amount the form cannot take (a fraction, outside `amountLimits`) is refused before anything
 * is written or sent, and the shopper gets the fields only once PaySys's Pay can find them.
 */
export async function newFormAttempt(
  ctx: FormProviderContext,
  sessionId: string,
  money: PaysysMoney,
  returnUrl: string | null
): Promise<PaysysFormSessionData> {
  const { ledger, options } = ctx
  const partnerTransId = partnerTransIdFor(sessionId, (await ledger.countAttemptsMadeFor(sessionId)) + 1)
  let fields: Record<string, string>
  try {
    fields = buildFormFields({
      vendorId: options.vendorId,
      secretKey: options.secretKey,
      merchantTransId: partnerTransId,
      amount: money.amount,
      currency: money.currency,
      note: options.paymentNote,
      returnUrl: returnUrl ?? undefined,
      roundingMode: options.roundingMode,
      amountLimits: options.amountLimits,
    })
  } catch (error) {
    throw toMedusaError(error, "take this payment")
  }
  const owner = await ledger.collections.retrieveSessionOwner(sessionId)
  const attempt = await ledger.createAttempt(
    {
      partner_trans_id: partnerTransId,
      ...owner,
      kind: "form",
      session_id: sessionId,
      amount: money.amount,
      currency: money.currency,
      next_check_at: new Date(Date.now() + ctx.schedule.firstCheckMs),
    },
    "form opened"
  )
  return {
    session_id: sessionId,
    partner_trans_id: attempt.partner_trans_id,
    attempt: attemptNumber(attempt.partner_trans_id),
    ...money,
    refunds: [],
    form_url: formUrlOf(options),
    form_fields: fields,
    return_url: returnUrl,
    widget: options.useWidget ? { script_url: WIDGET_SCRIPT_URL, form_url: WIDGET_FORM_URL } : null,
  }
}

/** The session's amount in PaySys's terms, or the error the store answers with. */
export function formMoney(amount: InitiatePaymentInput["amount"], currencyCode: string): PaysysMoney {
  try {
    return toPaysysAmount(amount, currencyCode)
  } catch (error) {
    throw toMedusaError(error, "take this payment")
  }
}
