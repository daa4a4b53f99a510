/** The states of the ledger's rows, declared once: the models' enums and the ledger's types read them. */
export const ATTEMPT_STATES = [
  "sending",
  "open",
  "paid",
  "captured",
  "failed",
  "never_sent",
  "reversing",
  "reversed",
  "attention",
] as const
export type AttemptState = (typeof ATTEMPT_STATES)[number]

export const REFUND_STATES = ["sending", "accepted", "refused", "unknown"] as const
export type RefundState = (typeof REFUND_STATES)[number]
