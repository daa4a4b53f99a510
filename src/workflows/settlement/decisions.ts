import { PaysysStatus } from "../../paysys"
import type { AttemptState } from "../../modules/paysys/attempt-machine"
import type { RefundRow } from "../../modules/paysys/ledger-types"
import { sumAccepted } from "../../modules/paysys/refund-rules"
import type { SettleOutcome } from "./outcomes"

/*
 * Settlement's decisions: pure functions of what the ledger, PaySys and Medusa say. The files
 * beside this one read those facts and carry the decisions out.
 */

/** What settlement does with an attempt in each state, once checked. */
export type StateAction =
  "settle_paid" | "settle_captured" | "reverse" | { outcome: SettleOutcome; session?: "error" | "ask_again" }

export function actionFor(
  state: AttemptState,
  facts: { fromJob: boolean; waitedMs: number; abandonAfterMs: number }
): StateAction {
  switch (state) {
    case "paid":
      return "settle_paid"
    case "captured":
      return "settle_captured"
    case "reversing":
      return "reverse"
    case "failed":
      // the job's looks stay cheap: the shopper learns of a decline on completing the cart
      return facts.fromJob ? { outcome: "failed" } : { outcome: "failed", session: "error" }
    case "never_sent":
      return facts.fromJob ? { outcome: "never_sent" } : { outcome: "never_sent", session: "ask_again" }
    case "reversed":
    case "attention":
      return { outcome: state }
    default:
      // the shopper left the 3-D Secure page: the session asks again; the ledger keeps looking
      return facts.waitedMs > facts.abandonAfterMs
        ? { outcome: "abandoned", session: "ask_again" }
        : { outcome: "pending" }
  }
}

/** What to do with a paid attempt no Medusa payment holds. */
export type PaidAction =
  | { do: "complete_cart" }
  | { do: "wait_for_claimed" } // another attempt's completion is on its way
  | { do: "settle_others_then_give_back"; reason: "second_payment" }
  | { do: "give_back"; reason: string }

export function actionForPaid(facts: {
  /** why no order can use it (whyNoOrderCanUse), null when its cart can be completed with it */
  blocker: string | null
  /** live Medusa payments of its collection made with anything else */
  otherPayments: number
  /** another attempt of the cart a completion claimed a moment ago */
  claimedOther: boolean
}): PaidAction {
  if (facts.blocker) {
    return { do: "give_back", reason: facts.blocker }
  }
  if (facts.otherPayments > 0) {
    // the cart is paid with another payment, whose order a failed completion may still lack
    return { do: "settle_others_then_give_back", reason: "second_payment" }
  }
  return facts.claimedOther ? { do: "wait_for_claimed" } : { do: "complete_cart" }
}

/** The end of the grace period of a paid attempt no order can use: counted from when it was seen paid. */
export function graceEnds(paidAt: Date | null, reverseAfterMs: number, now: number): Date {
  return new Date((paidAt?.getTime() ?? now) + reverseAfterMs)
}

/** When a paid attempt no order can use is given back: now, or when its grace period ends. */
export function givingBackStarts(paidAt: Date | null, reverseAfterMs: number, now: number): "now" | Date {
  const ends = graceEnds(paidAt, reverseAfterMs, now)
  return now < ends.getTime() ? ends : "now"
}

/** What PaySys's status of an order's payment asks of settlement. */
export type CapturedAction = "record_reversal" | "show_unexplained_refund" | "place_order_if_missing" | "note"

export function actionForCaptured(facts: {
  paysysStatus: number | null
  refunds: Pick<RefundRow, "kind" | "state" | "amount">[]
  /** refund calls in doubt, or whose answer is lost but not old enough to judge */
  unresolved: boolean
}): CapturedAction {
  const { paysysStatus, refunds } = facts
  if (
    paysysStatus === PaysysStatus.CANCELED &&
    !refunds.some((row) => row.kind === "cancel" && row.state === "accepted")
  ) {
    // a reversal made at PaySys (in its cabinet): the whole payment
    return "record_reversal"
  }
  if (paysysStatus === PaysysStatus.REFUNDED && sumAccepted(refunds) === 0n && !facts.unresolved) {
    return "show_unexplained_refund"
  }
  return paysysStatus === PaysysStatus.COMPLETED ? "place_order_if_missing" : "note"
}

/** When an order's payment is looked at next: soon while a refund call is in doubt, else only when due. */
export function nextLookOfCaptured(facts: {
  inFlight: boolean
  outcome: SettleOutcome
  backoff: Date
  graceEnds: Date
  bookLater: Date | null
}): Date | null {
  if (facts.inFlight) {
    return facts.backoff
  }
  return facts.outcome === "reversal_scheduled" ? facts.graceEnds : facts.bookLater
}

/** What to do with a captured payment whose cart may have no order. */
export type OrderAction = "give_back" | "already_placed" | "set_aside" | "complete_cart"

export function actionForOrder(facts: {
  cartId: string | null
  hasOrder: boolean
  /** the cart still pays through the attempt's collection */
  cartUsesCollection: boolean
  /** the session holding the payment is still one of the collection's */
  sessionAlive: boolean
  /** that session's status is one Medusa completes a cart with */
  sessionCompletable: boolean
}): OrderAction {
  if (!facts.cartId) {
    return "give_back"
  }
  if (facts.hasOrder) {
    return "already_placed"
  }
  if (!facts.cartUsesCollection) {
    return "give_back" // the cart pays through another collection now: this payment never completes it
  }
  if (!facts.sessionAlive) {
    return "set_aside"
  }
  return facts.sessionCompletable ? "complete_cart" : "give_back"
}

/** A reversal's end as settlement reports it. */
export function outcomeOfReversal(state: AttemptState): SettleOutcome {
  return state === "reversed" ? "reversed" : state === "attention" ? "attention" : "reversal_pending"
}
