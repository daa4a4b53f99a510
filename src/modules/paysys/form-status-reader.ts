import { queryFormPaymentStatus } from "../../paysys-form"
import type { FormStatusReader } from "./form-attempt-check"
import { PaysysFormOptions } from "./form-options"
import { countingCalls } from "./background-call-count"

/** The form's status API with these credentials, for checking form attempts (counted as countCalls sees). */
export function formStatusReader(options: PaysysFormOptions): FormStatusReader {
  return countingCalls((attempt) =>
    queryFormPaymentStatus({
      vendorId: options.vendorId,
      secretKey: options.secretKey,
      agrTransId: attempt.agr_trans_id,
      paymentId: attempt.form.payment_system_id,
      statusUrl: options.statusUrl,
      timeoutMs: options.timeoutMs,
    })
  )
}
