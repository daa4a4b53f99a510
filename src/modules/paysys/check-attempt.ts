import { PaymentStatusResult, PaysysClient, PaysysRateLimitedError } from "../../paysys"
import { afterCheck, afterFailedCheck, afterNotFound } from "./attempt-checks"
import { checkFormAttempt, FormStatusReader } from "./form-attempt-check"
import { Schedule } from "./look-schedule"
import { writeCheck } from "./write-check"
import { PaymentLedger } from "./payment-ledger"
import { Attempt, entry } from "./ledger-types"

/**
 * Asks PaySys (check_payment) about an attempt and writes what it says into the ledger.
 * Only a real "not found" means PaySys does not have it; any other failure is recorded and
 * thrown, and the attempt is looked at again later. A hosted-form attempt is asked about through
 * the form's status API instead (`formStatus`, from the form provider's options).
 */
export async function checkAttempt(
  client: PaysysClient | null,
  ledger: PaymentLedger,
  attempt: Attempt,
  schedule: Schedule,
  source: string,
  formStatus?: FormStatusReader | null
): Promise<Attempt> {
  if (attempt.kind === "form") {
    if (!formStatus) {
      throw new Error(
        `PaySys attempt ${attempt.partner_trans_id} was made with the hosted form, whose options are not configured`
      )
    }
    return checkFormAttempt(formStatus, ledger, attempt, schedule, source)
  }
  if (!client) {
    throw new Error(`PaySys attempt ${attempt.partner_trans_id} was made by card, whose options are not configured`)
  }
  let result: PaymentStatusResult
  try {
    result = await client.checkPayment({ partner_trans_id: attempt.partner_trans_id })
  } catch (error) {
    if (client.isTransactionNotFound(error)) {
      return writeCheck(
        ledger,
        attempt,
        (now) => afterNotFound(now, schedule),
        entry(`check_payment (${source}): not found`)
      )
    }
    if (error instanceof PaysysRateLimitedError) {
      throw error // PaySys did not look: the attempt keeps its place
    }
    const parked = afterFailedCheck(attempt, schedule, error).event
      ? entry(`check_payment (${source}): still failing at the horizon`)
      : undefined
    await writeCheck(ledger, attempt, (now) => afterFailedCheck(now, schedule, error), parked)
    throw error
  }
  return writeCheck(
    ledger,
    attempt,
    (now) => afterCheck(now, result, schedule),
    entry(`check_payment (${source})`, result.status, result.err_obj?.message)
  )
}
