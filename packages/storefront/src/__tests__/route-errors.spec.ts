import { PaysysCheckoutError, routeError } from ".."
import { CARD_DECLINED } from "../../../../src/paysys/card-declined"

/** A js-sdk FetchError as the client throws it: the answer's message and HTTP status. */
const fetchError = (status: number, message: string) => Object.assign(new Error(message), { status })

describe("the card route's refusals in the kit", () => {
  it.each([
    [400, CARD_DECLINED.message, "card_declined"],
    [429, "Too many payment attempts: wait a little before trying again", "too_many_attempts"],
    [428, "Solve the CAPTCHA to try another card", "captcha_required"],
    [400, "card_number: This is not a valid card number", "invalid_card"],
    [502, "PaySys could not be reached", "unavailable"],
  ] as const)("%i %s -> %s", (status, message, kind) => {
    const error = routeError(fetchError(status, message))
    expect(error).toBeInstanceOf(PaysysCheckoutError)
    expect((error as PaysysCheckoutError).kind).toBe(kind)
  })
})
