import { checkFormAttempt } from "../../../../../modules/paysys/form-attempt-check"
import { Schedule } from "../../../../../modules/paysys/look-schedule"
import { PaymentLedger } from "../../../../../modules/paysys/payment-ledger"
import { Attempt, AttemptChange, FormRecord } from "../../../../../modules/paysys/ledger-types"
import { parsePaysysFormOptions } from "../../../../../modules/paysys/form-options"
import { attemptFixture } from "../../../../../modules/paysys/__tests__/attempt-fixture"
import { formAttemptView, formOrderView } from "../form-views"

const options = parsePaysysFormOptions({ vendorId: "101234", secretKey: "secret" })
const schedule: Schedule = {
  firstCheckMs: 1000,
  backoffMs: [60_000],
  looksAfterMs: null,
  horizonMs: 8 * 24 * 3600_000,
  reverseAfterMs: 900_000,
  sendMarginMs: 30_000,
}
const payAccepted: FormRecord = {
  payment_system_id: "9",
  payment_name: "uzcard",
  environment: "sandbox",
  pay_accepted_at: "2026-11-24T00:00:00.000Z",
  notified: [],
}

/** A form attempt: its session opened the form, PaySys has not called yet. */
function attempt(overrides: Partial<Attempt> = {}): Attempt {
  return attemptFixture({
    provider_id: "pp_paysys-form_paysys-form",
    kind: "form",
    amount: "37500000",
    paysys_status: null,
    transaction_id: null,
    vendor_trans_id: 5001,
    sent_at: null,
    ...overrides,
  })
}

/** A ledger that applies the patch to the attempt it was given. */
function ledgerOf(current: Attempt) {
  const patches: AttemptChange[] = []
  const ledger = {
    updateAttempt: async (_: string, patch: AttemptChange) => {
      patches.push(patch)
      return { ...current, ...patch }
    },
  } as unknown as PaymentLedger
  return { ledger, patches }
}

describe("the ledger as the form's decisions see it", () => {
  it("an attempt before Pay has no PSP transaction", () => {
    expect(formAttemptView(attempt())).toBeNull()
  })

  it.each([
    ["Pay accepted", "pay_accepted", {}],
    ["Notify 2", "paid", { form: { ...payAccepted, notified: [2] } }],
    ["paid by the status API", "paid", { state: "paid" as const }],
    ["Notify 3 after 2", "cancelled", { form: { ...payAccepted, notified: [2, 3] } }],
    ["an accepted Cancel", "cancelled", { form: { ...payAccepted, cancel_accepted_at: "2026-11-24T01:00:00.000Z" } }],
  ] as [string, string, Partial<Attempt>][])("%s -> %s", (_, state, overrides) => {
    const view = formAttemptView(attempt({ agr_trans_id: "987654321", form: payAccepted, ...overrides }))
    expect(view).toEqual({
      agrTransId: "987654321",
      vendorTransId: 5001,
      state,
      payAcceptedAt: Date.parse("2026-11-24T00:00:00.000Z"),
    })
  })

  it("the order: whole sum, paid when another attempt of the cart paid, cancelled when the attempt is closed or the cart owes another amount", () => {
    const due = { amount: "37500000", currency: "uzs" as const }
    expect(formOrderView(attempt(), [attempt()], due, options)).toEqual({ amount: "375000", state: "open" })
    expect(
      formOrderView(attempt(), [attempt(), attempt({ id: "psatt_2", kind: "card", state: "captured" })], due, options)
        .state
    ).toBe("paid")
    expect(formOrderView(attempt({ state: "never_sent" }), [], due, options).state).toBe("cancelled")
    const newer = attempt({ id: "psatt_2", partner_trans_id: "payses_1-2", created_at: new Date(Date.now() + 1000) })
    expect(formOrderView(attempt(), [attempt(), newer], due, options).state).toBe("cancelled")
    expect(formOrderView(attempt(), [attempt()], { ...due, amount: "40000000" }, options).state).toBe("cancelled")
    expect(formOrderView(attempt(), [attempt()], null, options).state).toBe("cancelled")
  })
})

describe("checking a form attempt", () => {
  it("before Pay: nothing to ask, looked at again; past the horizon closed", async () => {
    const read = jest.fn()
    const fresh = ledgerOf(attempt())
    await checkFormAttempt(read, fresh.ledger, attempt(), schedule, "test")
    expect(fresh.patches[0]).toMatchObject({ checks: 1 })
    expect(fresh.patches[0].event).toBeUndefined()
    const old = attempt({ created_at: new Date(Date.now() - schedule.horizonMs - 1) })
    const closed = ledgerOf(old)
    await checkFormAttempt(read, closed.ledger, old, schedule, "test")
    expect(closed.patches[0]).toMatchObject({ event: "form_never_paid", outcome: "form_never_paid" })
    expect(read).not.toHaveBeenCalled()
  })

  it("the status API's paid -> paid (status 2); not paid -> open; a cancellation -> reversed without asking", async () => {
    const accepted = attempt({ agr_trans_id: "987654321", form: payAccepted })
    const paid = ledgerOf(accepted)
    await checkFormAttempt(
      async () => ({ paid: true, error: 0, note: "Success" }),
      paid.ledger,
      accepted,
      schedule,
      "test"
    )
    expect(paid.patches[0]).toMatchObject({ event: "paysys_paid", paysys_status: 2, transaction_id: "987654321" })

    const waiting = ledgerOf(accepted)
    await checkFormAttempt(
      async () => ({ paid: false, error: -20, note: "Payment is not completed" }),
      waiting.ledger,
      accepted,
      schedule,
      "test"
    )
    expect(waiting.patches[0]).toMatchObject({ event: "paysys_open", paysys_status: 1 })

    const cancelled = attempt({ agr_trans_id: "987654321", form: { ...payAccepted, notified: [2, 3] }, state: "paid" })
    const reversed = ledgerOf(cancelled)
    const read = jest.fn()
    await checkFormAttempt(read, reversed.ledger, cancelled, schedule, "test")
    expect(reversed.patches[0]).toMatchObject({ event: "paysys_reversed", paysys_status: 3 })
    expect(read).not.toHaveBeenCalled()
  })

  it("the status API unreachable: backoff, the error thrown, the state unchanged", async () => {
    const accepted = attempt({ agr_trans_id: "987654321", form: payAccepted })
    const { ledger, patches } = ledgerOf(accepted)
    await expect(
      checkFormAttempt(async () => Promise.reject(new Error("ECONNREFUSED")), ledger, accepted, schedule, "test")
    ).rejects.toThrow("ECONNREFUSED")
    expect(patches[0]).toMatchObject({ checks: 1, last_error: "ECONNREFUSED" })
    expect(patches[0].event).toBeUndefined()
  })
})
