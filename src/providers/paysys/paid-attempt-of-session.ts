import { PaymentSessionStatus } from "@medusajs/framework/utils"
import { tookMoney } from "../../modules/paysys/attempt-checks"
import { PaymentLedger } from "../../modules/paysys/payment-ledger"
import { Attempt } from "../../modules/paysys/ledger-types"
import { PaysysMoney } from "../../modules/paysys/money"
import { sessionStatusOf, unclaimedStatusOf } from "./session-data"

/**
 * Which of a session's attempts pays it, from the ledger: a paid one of the session's amount (the
 * earliest, so concurrent completions agree), else the still-open ones PaySys is asked about,
 * newest first. A completion claims the attempt it takes, so reconciliation never reverses it
 * meanwhile. Answers that attempt, or null, the session's latest attempt and the status it gives
 * the session (on a completion, never `captured`: see unclaimedStatusOf).
 */
export async function paidAttemptOfSession(input: {
  ledger: PaymentLedger
  sessionId: string
  money: PaysysMoney
  /** the attempts PaySys may still complete */
  isOpen: (attempt: Attempt) => boolean
  check: (attempt: Attempt) => Promise<Attempt>
  claim: boolean
}): Promise<
  { paid: Attempt; latest?: undefined } | { paid: null; latest: Attempt | null; status: PaymentSessionStatus }
> {
  const { ledger, sessionId, money } = input
  const attempts = await ledger.listSessionAttempts(sessionId)
  const fits = (attempt: Attempt) => attempt.amount === money.amount && attempt.currency === money.currency
  const paid = attempts.filter((attempt) => (attempt.state === "paid" || attempt.state === "captured") && fits(attempt))
  const open = attempts.filter(input.isOpen).reverse()
  for (const candidate of [...paid, ...open]) {
    const attempt = await input.check(candidate)
    if (
      tookMoney(attempt) &&
      fits(attempt) &&
      (!input.claim || (await ledger.collections.claim(attempt.partner_trans_id)))
    ) {
      return { paid: attempt }
    }
  }
  const latest = (await ledger.listSessionAttempts(sessionId)).at(-1) ?? null
  return { paid: null, latest, status: input.claim ? unclaimedStatusOf(latest) : sessionStatusOf(latest) }
}
