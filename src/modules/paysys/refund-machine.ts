import { stateMachine } from "./state-machine"

/**
 * The state machine of a refund or reversal PaySys is asked for, or made elsewhere
 * (`paysys_refund.state`): its states, events and allowed transitions, as one table.
 * Its `apply` is the only code that moves `state` (rows start as `REFUND_START` says).
 */
export const REFUND_STATES = [
  "sending", // recorded, the call (refund_payment, cancel_payment) on its way
  "accepted", // PaySys gave the money back
  "refused", // PaySys did not: nothing moved
  "unknown", // no answer, and PaySys's status cannot tell yet: for the merchant if it never can
] as const
export type RefundState = (typeof REFUND_STATES)[number]

/** How a row starts: to be sent, or recording money PaySys already gave back (a reversal in its cabinet). */
export const REFUND_START = { to_send: "sending", made_at_paysys: "accepted" } as const satisfies Record<
  string,
  RefundState
>

const IN_DOUBT: RefundState[] = ["sending", "unknown"]

const REFUND_TRANSITIONS = {
  // PaySys's answer to the call
  paysys_accepted: { from: ["sending"], to: "accepted" },
  paysys_refused: { from: ["sending"], to: "refused" },
  no_answer: { from: ["sending"], to: "unknown" },
  // what the payment's status shows of a call whose answer was lost
  status_shows_made: { from: IN_DOUBT, to: "accepted" },
  status_shows_not_made: { from: IN_DOUBT, to: "refused" },
  status_cannot_tell: { from: IN_DOUBT, to: "unknown" },
  /** PaySys reverses a payment once: a second reversal row is the one recorded already */
  same_as_recorded_reversal: { from: IN_DOUBT, to: "refused" },
  // the merchant's word, read in the PaySys cabinet
  merchant_saw_made: { from: ["unknown"], to: "accepted" },
  merchant_saw_not_made: { from: ["unknown"], to: "refused" },
} satisfies Record<string, { from: RefundState[]; to: RefundState }>

export const refundMachine = stateMachine("PaySys refund", REFUND_TRANSITIONS)
export type RefundEvent = keyof typeof REFUND_TRANSITIONS
