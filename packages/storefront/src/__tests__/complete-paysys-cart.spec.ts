import {
  completePaysysCart,
  declineReason,
  PAYSYS_MESSAGES,
  PaysysSdk,
  RETURN_NO_CART,
  RETURN_NOT_PAID,
  RETURN_NOT_STARTED,
} from ".."

/*
 * The return page's decisions, on scripted answers of Medusa's store API (the browser tests
 * drive the real ones): an order ends it, PaySys's reason ends it, an undecided payment is
 * asked again, and only so many times.
 */

/** `cart`: the cart retrieve answers instead of one with the session (an Error: retrieve throws it) */
type Answer = { complete: unknown; session?: Record<string, unknown>; providerId?: string; cart?: unknown }

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
          if (current.cart instanceof Error) {
            throw current.cart
          }
          if (current.cart) {
            return { cart: current.cart }
          }
          const providerId = current.providerId ?? "pp_paysys_paysys"
          return {
            cart: {
              payment_collection: { payment_sessions: [{ provider_id: providerId, data: current.session ?? {} }] },
            },
          }
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
    const { sdk, calls } = scriptedSdk([
      {
        complete: notAuthorized,
        session: { paysys_status: -1, error: { code: -31630, message: "Declined by the card issuer" } },
      },
    ])
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
    const placing = {
      complete: new Error("Cart is already being completed by another request"),
      session: { paysys_status: 2 },
    }
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
    expect(await completePaysysCart(neverPaid.sdk, "cart_1", { retryDelayMs: 1 })).toEqual({
      type: "declined",
      code: RETURN_NOT_PAID,
      reason: PAYSYS_MESSAGES.en.notPaid,
    })
  })

  it("answers pending after its attempts, and the kit's not-paid decline, not Medusa's words, when PaySys has no reason", async () => {
    const undecided = scriptedSdk([
      { complete: new Error("Payment session is not authorized"), session: { paysys_status: 0 } },
    ])
    expect(await completePaysysCart(undecided.sdk, "cart_1", { attempts: 3, retryDelayMs: 1 })).toEqual({
      type: "pending",
    })
    expect(undecided.calls.complete).toBe(3)

    const notAuthorizedSession = new Error("Session: payses_01 was not authorized with the provider.")
    const noCard = scriptedSdk([{ complete: notAuthorizedSession, session: {} }])
    expect(await completePaysysCart(noCard.sdk, "cart_1", { retryDelayMs: 1 })).toEqual({
      type: "declined",
      code: RETURN_NOT_PAID,
      reason: PAYSYS_MESSAGES.en.notPaid,
    })
  })

  it("answers the kit's no-cart decline, in plain words, without a cart id or for a cart Medusa does not know", async () => {
    const notFound = Object.assign(new Error("Cart id cart_gone not found"), { status: 404 })
    const { sdk, calls } = scriptedSdk([{ complete: notFound, cart: notFound }])
    const gone = await completePaysysCart(sdk, "cart_gone", { retryDelayMs: 1 })
    expect(gone).toEqual({ type: "declined", code: RETURN_NO_CART, reason: PAYSYS_MESSAGES.en.noCart })
    expect(calls.complete).toBe(1)

    const none = scriptedSdk([{ complete: order }])
    expect(await completePaysysCart(none.sdk, null)).toEqual(gone)
    expect(none.calls).toEqual({ complete: 0, retrieve: 0 })
  })

  it("answers the kit's not-started decline for a cart without a PaySys payment, not Medusa's words", async () => {
    const notInitiated = Object.assign(new Error("Payment collection has not been initiated for cart"), { status: 400 })
    const { sdk } = scriptedSdk([{ complete: notInitiated, cart: { id: "cart_1", payment_collection: null } }])
    const outcome = await completePaysysCart(sdk, "cart_1", { retryDelayMs: 1 })
    expect(outcome).toEqual({ type: "declined", code: RETURN_NOT_STARTED, reason: PAYSYS_MESSAGES.en.notStarted })
    expect(JSON.stringify(outcome)).not.toContain("initiated")
  })

  it("throws what is not the cart's absence (Medusa unreachable), for the return page's Check again", async () => {
    const down = Object.assign(new Error("fetch failed"), { status: undefined })
    const { sdk } = scriptedSdk([{ complete: down, cart: down }])
    await expect(completePaysysCart(sdk, "cart_1", { retryDelayMs: 1 })).rejects.toThrow("fetch failed")
  })
})

describe("declineReason", () => {
  it("puts the kit's own reasons in the shopper's language and leaves PaySys's as they are", () => {
    expect(declineReason({ code: RETURN_NO_CART, reason: PAYSYS_MESSAGES.en.noCart }, PAYSYS_MESSAGES.ru)).toBe(
      PAYSYS_MESSAGES.ru.noCart
    )
    expect(declineReason({ code: RETURN_NOT_STARTED, reason: PAYSYS_MESSAGES.en.notStarted }, PAYSYS_MESSAGES.uz)).toBe(
      PAYSYS_MESSAGES.uz.notStarted
    )
    expect(declineReason({ code: RETURN_NOT_PAID, reason: PAYSYS_MESSAGES.en.notPaid }, PAYSYS_MESSAGES.ru)).toBe(
      PAYSYS_MESSAGES.ru.notPaid
    )
    expect(declineReason({ code: -31630, reason: "Declined by the card issuer" }, PAYSYS_MESSAGES.ru)).toBe(
      "Declined by the card issuer"
    )
  })
})
