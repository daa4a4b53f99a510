import { stateMachine } from "./state-machine"

/**
 * The state machine of a PaySys payment attempt (`paysys_attempt.state`): its states, the events
 * that move it and the allowed transitions, as one table. Its `apply` is the only code that
 * moves `state` (the ledger creates rows in `initialAttemptState`); the module's README has the glossary.
 */
export const ATTEMPT_STATES = [
  "sending", // recorded, the write call (prepare_payment, pay_by_id) on its way to PaySys
  "open", // PaySys has it; the shopper is on the 3-D Secure page or the hosted form
  "paid", // PaySys took the money; no Medusa payment holds it yet
  "captured", // a Medusa payment holds it: an order's payment (or one on its way)
  "failed", // PaySys declined it: no money moved
  "never_sent", // PaySys never received it (or the form was never paid): no money moved
  "reversing", // paid, no order can use it: the plugin is giving the money back
  "reversed", // the money is back with the shopper
  "attention", // parked: the merchant must look in the PaySys cabinet
] as const
export type AttemptState = (typeof ATTEMPT_STATES)[number]

/** The states in which PaySys's word on the attempt sets its state (later ones only record its status). */
const PAYSYS_DECIDES: AttemptState[] = ["sending", "open", "paid", "failed", "never_sent", "reversed"]

const ATTEMPT_TRANSITIONS = {
  // PaySys's answers: check_payment, the form's status API, the answer to a write call
  paysys_open: { from: PAYSYS_DECIDES, to: "open" },
  paysys_paid: { from: PAYSYS_DECIDES, to: "paid" },
  paysys_declined: { from: PAYSYS_DECIDES, to: "failed" },
  paysys_reversed: { from: PAYSYS_DECIDES, to: "reversed" },
  paysys_open_at_horizon: { from: PAYSYS_DECIDES, to: "attention" },
  /** not found past the send margin, or refused unread (HTTP 429) */
  paysys_never_received: { from: ["sending"], to: "never_sent" },
  /** a form attempt no Pay came for until the horizon */
  form_never_paid: { from: PAYSYS_DECIDES, to: "never_sent" },
  /** PaySys could not be asked until the horizon */
  unchecked_at_horizon: { from: ["sending", "open"], to: "attention" },
  // Medusa's claims
  medusa_payment_holds: { from: ["paid", "captured", "reversing", "reversed", "attention"], to: "captured" },
  /** the Medusa payment lost its session for good: a new session may take the attempt */
  medusa_payment_set_aside: { from: ["captured"], to: "paid" },
  // the plugin giving back money no order can use
  reversal_started: { from: ["paid"], to: "reversing" },
  money_given_back: { from: ["reversing"], to: "reversed" },
  reversal_refused: { from: ["reversing"], to: "reversing" },
  reversal_refused_at_horizon: { from: ["reversing"], to: "attention" },
  /** the hosted form has no call to give money back */
  reversal_impossible: { from: ["reversing"], to: "attention" },
  // the merchant's decisions, read in the PaySys cabinet
  merchant_refunded_in_cabinet: { from: ["attention"], to: "reversed" },
  merchant_saw_not_paid: { from: ["attention"], to: "failed" },
} satisfies Record<string, { from: AttemptState[]; to: AttemptState }>

export const attemptMachine = stateMachine("PaySys attempt", ATTEMPT_TRANSITIONS)
export type AttemptEvent = keyof typeof ATTEMPT_TRANSITIONS

/** Where an attempt starts: the hosted form is open at once, a card's call is on its way. */
export function initialAttemptState(kind: "card" | "saved_card" | "form"): AttemptState {
  return kind === "form" ? "open" : "sending"
}
