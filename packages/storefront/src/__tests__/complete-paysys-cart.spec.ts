import { completePaysysCart, PaysysSdk } from ".."

/*
 * The return page's decisions, on scripted answers of Medusa's store API (the browser tests
 * drive the real ones): an order ends it, PaySys's reason ends it, an undecided payment is
 * asked again, and only so many times.
 */

type Answer = { complete: unknown; session?: Record<string, unknown>; providerId?: string }

function scriptedSdk(answers: Answer[]) {
  const calls = { complete: 0, retrieve: 0 }
  let current: Answer = answers[0]
  const sdk = {
    store: {
      cart: {
        complete: async () => {
          current = answers[Math.min(calls.complete++, answers.length - 1)]
          if (current.complete instanceof Error) {
            throw current.complete
          }
          return current.complete
        },
        retrieve: async () => {
          calls.retrieve++
          const providerId = current.providerId ?? "pp_paysys_paysys"
          return { cart: { payment_collection: { payment_sessions: [{ provider_id: providerId, data: current.session ?? {} }] } } }
        },
      },
    },
  } as unknown as PaysysSdk
  return { sdk, calls }
}

const order = { type: "order", order: { id: "order_1" } }
const notAuthorized = { type: "cart", error: { message: "Payment authorization failed" } }

describe("completePaysysCart", () => {
  it("answers the order when the cart completes", async () => {
    const { sdk, calls } = scriptedSdk([{ complete: order }])
    expect(await completePaysysCart(sdk, "cart_1")).toEqual({ type: "order", order: { id: "order_1" } })
    expect(calls).toEqual({ complete: 1, retrieve: 0 })
  })

  it("answers PaySys's decline reason from the session's data.error, without asking again", async () => {
    const { sdk, calls } = scriptedSdk([{ complete: notAuthorized, session: { paysys_status: -1, error: { code: -31630, message: "Declined by the card issuer" } } }])
    expect(await completePaysysCart(sdk, "cart_1", { retryDelayMs: 1 })).toEqual({
      type: "declined",
      reason: "Declined by the card issuer",
      code: -31630,
    })
    expect(calls.complete).toBe(1)
  })

  it("asks again while PaySys has not decided, then answers the order", async () => {
    const undecided = { complete: notAuthorized, session: { paysys_status: 1 } }
    const { sdk, calls } = scriptedSdk([undecided, undecided, { complete: order }])
    expect((await completePaysysCart(sdk, "cart_1", { retryDelayMs: 1 })).type).toBe("order")
    expect(calls.complete).toBe(3)
  })

  it("asks again when PaySys says paid and its notification is placing the order meanwhile (409)", async () => {
    const placing = { complete: new Error("Cart is already being completed by another request"), session: { paysys_status: 2 } }
    const { sdk, calls } = scriptedSdk([placing, { complete: order }])
    expect((await completePaysysCart(sdk, "cart_1", { retryDelayMs: 1 })).type).toBe("order")
    expect(calls.complete).toBe(2)
  })

  it("reads the hosted form's session as well: pending after Pay, a return without paying is no order", async () => {
    const form = "pp_paysys-form_paysys-form"
    const afterPay = { complete: notAuthorized, session: { paysys_status: 1 }, providerId: form }
    const paid = scriptedSdk([afterPay, { complete: order }])
    expect((await completePaysysCart(paid.sdk, "cart_1", { retryDelayMs: 1 })).type).toBe("order")
    expect(paid.calls.complete).toBe(2)

    const neverPaid = scriptedSdk([{ complete: notAuthorized, session: { paysys_status: null }, providerId: form }])
    expect(await completePaysysCart(neverPaid.sdk, "cart_1", { retryDelayMs: 1 })).toEqual({ type: "declined", reason: "Payment authorization failed" })
  })

  it("answers pending after its attempts, and Medusa's message when PaySys has no reason", async () => {
    const undecided = scriptedSdk([{ complete: new Error("Payment session is not authorized"), session: { paysys_status: 0 } }])
    expect(await completePaysysCart(undecided.sdk, "cart_1", { attempts: 3, retryDelayMs: 1 })).toEqual({ type: "pending" })
    expect(undecided.calls.complete).toBe(3)

    const noCard = scriptedSdk([{ complete: new Error("Payment session is not authorized"), session: {} }])
    expect(await completePaysysCart(noCard.sdk, "cart_1", { retryDelayMs: 1 })).toEqual({
      type: "declined",
      reason: "Payment session is not authorized",
    })
  })
})
