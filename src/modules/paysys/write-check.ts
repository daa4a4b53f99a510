import type { Attempt, AttemptChange, HistoryEntry } from "./ledger-types"
import type { PaymentLedger } from "./payment-ledger"
import { IllegalTransitionError } from "./state-machine"

/**
 * Writes what a check makes of the attempt. Another writer may have moved it while PaySys was
 * being asked (a cart completion captured it): the state machine then refuses the event, and
 * what the same answer makes of the attempt as it is now is written instead.
 */
export async function writeCheck(
  ledger: PaymentLedger,
  attempt: Attempt,
  change: (attempt: Attempt) => AttemptChange,
  history?: HistoryEntry
): Promise<Attempt> {
  try {
    return await ledger.updateAttempt(attempt.partner_trans_id, change(attempt), history)
  } catch (error) {
    if (!(error instanceof IllegalTransitionError)) {
      throw error
    }
    const now = await ledger.retrieveAttempt(attempt.partner_trans_id)
    return ledger.updateAttempt(now.partner_trans_id, change(now), history)
  }
}
