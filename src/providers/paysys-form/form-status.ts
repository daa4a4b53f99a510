import { PaymentSessionStatus } from "@medusajs/framework/utils"
import { checkAttempt } from "../../modules/paysys/check-attempt"
import { Attempt } from "../../modules/paysys/ledger-types"
import { paidAttemptOfSession } from "../paysys/paid-attempt-of-session"
import { withAttempt } from "../paysys/session-data"
import { toMedusaError } from "../paysys/to-medusa-error"
import { FormProviderContext } from "./form-context"
import { PaysysFormSessionData } from "./session-data"

/**
 * The session's status from its form attempts: a paid one of the session's amount pays it; one
 * whose Pay was accepted is asked about (status API). The shopper's return proves nothing.
 */
export async function formStatusFromLedger(
  ctx: FormProviderContext,
  current: PaysysFormSessionData,
  { claim }: { claim: boolean }
) {
  const found = await paidAttemptOfSession({
    ledger: ctx.ledger,
    sessionId: current.session_id,
    money: current,
    isOpen: (attempt) => attempt.state === "open" && attempt.agr_trans_id !== null,
    check: (attempt) => checkFormAttempt(ctx, attempt),
    claim,
  })
  if (found.paid) {
    return { status: PaymentSessionStatus.CAPTURED, data: withFormAttempt(current, found.paid) }
  }
  const { latest } = found
  // an attempt waiting for the shopper on PaySys's page is pending, not "requires more"
  const status = latest?.state === "open" ? PaymentSessionStatus.PENDING : found.status
  return { status, data: latest ? withFormAttempt(current, latest) : current }
}

export function withFormAttempt(current: PaysysFormSessionData, attempt: Attempt): PaysysFormSessionData {
  return { ...current, ...withAttempt(current, attempt), payment_name: attempt.form?.payment_name ?? null }
}

async function checkFormAttempt(ctx: FormProviderContext, attempt: Attempt): Promise<Attempt> {
  try {
    return await checkAttempt(null, ctx.ledger, attempt, ctx.schedule, "authorize", ctx.readStatus)
  } catch (error) {
    throw toMedusaError(error, "check the payment")
  }
}
