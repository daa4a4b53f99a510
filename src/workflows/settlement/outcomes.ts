/** What settling an attempt concluded; kept on the notification and the attempt for the merchant. */
export type SettleOutcome =
  | "captured" // the order was placed (or its payment captured) from PaySys's word
  | "already_captured"
  | "order_placed" // captured earlier, but the cart was not completed (a crash between the two)
  | "pending" // still waiting for the shopper or the bank
  | "abandoned" // waiting past abandonAfterSeconds: the session asks the shopper again
  | "failed"
  | "never_sent" // PaySys never received it
  | "reversal_scheduled" // paid, but no order can use it: given back after the grace period
  | "reversed" // given back (a second payment of one cart, a changed or completed cart...)
  | "reversal_pending" // PaySys has not confirmed giving it back yet, or refused: tried again
  | "refund_noted" // PaySys reports a refund or reversal the ledger explains
  | "refund_recorded" // a reversal made at PaySys, recorded as a Medusa refund
  | "refund_unexplained" // PaySys reports a refund Medusa did not make: for the merchant to record
  | "attention" // parked for the merchant
  | "unknown_payment" // not in this store's ledger (a forged id, another store on the account)
