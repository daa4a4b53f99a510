import { CARD_PROBLEM_MESSAGES, CardProblem, cardProblem, CardProblemCode } from "../../../src/paysys/card-rules"

export type PaysysCheckoutErrorKind =
  /** the card breaks a rule (before sending, or the route's 400): `problems` name the fields */
  | "invalid_card"
  /** the session was paid already (another tab?): complete the cart */
  | "already_paid"
  /** PaySys could not be reached: the shopper may try again in a moment */
  | "unavailable"
  /** PaySys declined the card (the store never says why): another card, or the bank */
  | "card_declined"
  /** too many attempts from this shopper, cart or card (card testing): wait before trying again */
  | "too_many_attempts"
  /** after repeated declines: post the card again with a token from the store's CAPTCHA widget */
  | "captcha_required"

export class PaysysCheckoutError extends Error {
  constructor(
    readonly kind: PaysysCheckoutErrorKind,
    message: string,
    readonly problems: CardProblem[] = []
  ) {
    super(message)
    this.name = "PaysysCheckoutError"
  }
}

/** The route's 400 message holds the rules' own messages: back to problems, field by field. */
export function problemsFromRouteMessage(message: string): CardProblem[] {
  return (Object.entries(CARD_PROBLEM_MESSAGES) as [CardProblemCode, string][])
    .filter(([, text]) => message.includes(text))
    .filter(([code]) => code !== "number_brand" || !message.includes(CARD_PROBLEM_MESSAGES.number_uzcard_humo))
    .map(([code]) => cardProblem(code))
}

/** The HTTP status of a js-sdk FetchError (duck-typed: the kit has no runtime dependency on the SDK). */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status
  return typeof status === "number" ? status : undefined
}
