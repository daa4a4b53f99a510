import { AuthorizePaymentOutput } from "@medusajs/framework/types"
import { PaymentSessionStatus } from "@medusajs/framework/utils"
import { tookMoney } from "../../modules/paysys/attempt-checks"
import { checkAttempt } from "../../modules/paysys/check-attempt"
import { Attempt } from "../../modules/paysys/ledger-types"
import { CardProviderContext } from "./card-context"
import { paidAttemptOfSession } from "./paid-attempt-of-session"
import { PaysysSessionData, unclaimedStatusOf, withAttempt } from "./session-data"
import { toMedusaError } from "./to-medusa-error"

/** check_payment into the ledger; a failure is the MedusaError the store and admin answer with. */
export async function checkCardAttempt(ctx: CardProviderContext, attempt: Attempt, source: string): Promise<Attempt> {
  try {
    return await checkAttempt(ctx.client, ctx.ledger, attempt, ctx.schedule, source)
  } catch (error) {
    throw toMedusaError(error, "check the payment")
  }
}

/** check_payment into the ledger, or null when PaySys cannot be asked or does not know it. */
export async function checkIfKnown(ctx: CardProviderContext, attempt: Attempt): Promise<Attempt | null> {
  const checked = await checkAttempt(ctx.client, ctx.ledger, attempt, ctx.schedule, "after pay_by_id").catch(() => null)
  return checked && checked.paysys_status !== null ? checked : null
}

/** The session's status from its attempts (see paidAttemptOfSession). */
export async function cardStatusFromLedger(
  ctx: CardProviderContext,
  current: PaysysSessionData,
  { claim }: { claim: boolean }
) {
  const found = await paidAttemptOfSession({
    ledger: ctx.ledger,
    sessionId: current.session_id,
    money: current,
    isOpen: (attempt) => attempt.state === "sending" || attempt.state === "open",
    check: (attempt) => checkCardAttempt(ctx, attempt, "authorize"),
    claim,
  })
  if (found.paid) {
    return { status: PaymentSessionStatus.CAPTURED, data: withAttempt(current, found.paid, ctx.declines) }
  }
  return { status: found.status, data: found.latest ? withAttempt(current, found.latest, ctx.declines) : current }
}

/** The completion takes the attempt as the session's payment if it took money and may be claimed. */
export async function authorizeWith(
  ctx: CardProviderContext,
  current: PaysysSessionData,
  attempt: Attempt
): Promise<AuthorizePaymentOutput> {
  const claimed = tookMoney(attempt) && (await ctx.ledger.collections.claim(attempt.partner_trans_id))
  const status = claimed ? PaymentSessionStatus.CAPTURED : unclaimedStatusOf(attempt)
  return { status, data: withAttempt(current, attempt, ctx.declines) }
}
