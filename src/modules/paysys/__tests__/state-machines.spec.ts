import { ATTEMPT_STATES, attemptMachine, AttemptState, initialAttemptState } from "../attempt-machine"
import { REFUND_STATES, refundMachine, RefundState } from "../refund-machine"
import { IllegalTransitionError } from "../state-machine"

/** Every event from every state: the allowed ones with their target, the rest refused. */
const ATTEMPT_ALLOWED: Record<string, Partial<Record<AttemptState, AttemptState>>> = {
  paysys_open: { sending: "open", open: "open", paid: "open", failed: "open", never_sent: "open", reversed: "open" },
  paysys_paid: { sending: "paid", open: "paid", paid: "paid", failed: "paid", never_sent: "paid", reversed: "paid" },
  paysys_declined: {
    sending: "failed",
    open: "failed",
    paid: "failed",
    failed: "failed",
    never_sent: "failed",
    reversed: "failed",
  },
  paysys_reversed: {
    sending: "reversed",
    open: "reversed",
    paid: "reversed",
    failed: "reversed",
    never_sent: "reversed",
    reversed: "reversed",
  },
  paysys_open_at_horizon: {
    sending: "attention",
    open: "attention",
    paid: "attention",
    failed: "attention",
    never_sent: "attention",
    reversed: "attention",
  },
  paysys_never_received: { sending: "never_sent" },
  form_never_paid: {
    sending: "never_sent",
    open: "never_sent",
    paid: "never_sent",
    failed: "never_sent",
    never_sent: "never_sent",
    reversed: "never_sent",
  },
  unchecked_at_horizon: { sending: "attention", open: "attention" },
  medusa_payment_holds: {
    paid: "captured",
    captured: "captured",
    reversing: "captured",
    reversed: "captured",
    attention: "captured",
  },
  medusa_payment_set_aside: { captured: "paid" },
  reversal_started: { paid: "reversing" },
  money_given_back: { reversing: "reversed" },
  reversal_refused: { reversing: "reversing" },
  reversal_refused_at_horizon: { reversing: "attention" },
  reversal_impossible: { reversing: "attention" },
  merchant_refunded_in_cabinet: { attention: "reversed" },
  merchant_saw_not_paid: { attention: "failed" },
}

const REFUND_ALLOWED: Record<string, Partial<Record<RefundState, RefundState>>> = {
  paysys_accepted: { sending: "accepted" },
  paysys_refused: { sending: "refused" },
  no_answer: { sending: "unknown" },
  status_shows_made: { sending: "accepted", unknown: "accepted" },
  status_shows_not_made: { sending: "refused", unknown: "refused" },
  status_cannot_tell: { sending: "unknown", unknown: "unknown" },
  same_as_recorded_reversal: { sending: "refused", unknown: "refused" },
  merchant_saw_made: { unknown: "accepted" },
  merchant_saw_not_made: { unknown: "refused" },
}

function cases<S extends string>(states: readonly S[], allowed: Record<string, Partial<Record<S, S>>>) {
  return Object.entries(allowed).flatMap(([event, targets]) =>
    states.map((from) => [event, from, targets[from] ?? null] as [string, S, S | null])
  )
}

describe("the attempt's state machine", () => {
  it("declares exactly the events of this table", () => {
    expect([...attemptMachine.events].sort()).toEqual(Object.keys(ATTEMPT_ALLOWED).sort())
  })

  it.each(cases(ATTEMPT_STATES, ATTEMPT_ALLOWED))("%s in %s -> %s", (event, from, to) => {
    const move = () => attemptMachine.next(from, event as (typeof attemptMachine.events)[number], "payses_1-1")
    if (to) {
      expect(move()).toBe(to)
    } else {
      expect(move).toThrow(IllegalTransitionError)
      expect(move).toThrow(`PaySys attempt payses_1-1 is ${from}: ${event} cannot happen to it`)
    }
  })

  it("starts a card's attempt as sending, the hosted form's as open", () => {
    expect(initialAttemptState("card")).toBe("sending")
    expect(initialAttemptState("saved_card")).toBe("sending")
    expect(initialAttemptState("form")).toBe("open")
  })

  it("never leaves an attempt that holds an order's payment but for a set-aside payment or to captured again", () => {
    const fromCaptured = attemptMachine.events.filter((event) => attemptMachine.allows("captured", event))
    expect(fromCaptured.sort()).toEqual(["medusa_payment_holds", "medusa_payment_set_aside"])
  })
})

describe("the refund's state machine", () => {
  it("declares exactly the events of this table", () => {
    expect([...refundMachine.events].sort()).toEqual(Object.keys(REFUND_ALLOWED).sort())
  })

  it.each(cases(REFUND_STATES, REFUND_ALLOWED))("%s in %s -> %s", (event, from, to) => {
    const move = () => refundMachine.next(from, event as (typeof refundMachine.events)[number], "psref_1")
    if (to) {
      expect(move()).toBe(to)
    } else {
      expect(move).toThrow(`PaySys refund psref_1 is ${from}: ${event} cannot happen to it`)
    }
  })

  it("never moves a refund PaySys accepted or refused", () => {
    for (const final of ["accepted", "refused"] as const) {
      expect(refundMachine.events.filter((event) => refundMachine.allows(final, event))).toEqual([])
    }
  })
})
