import { maskPan } from "../../../src/paysys/card-data"
import { cardBrand, passesLuhn } from "../../../src/paysys/card-rules"

/**
 * Test cards of the sandbox's payment form. Any future expiry (MM/YY); the SMS code is the
 * sandbox's one-time code (option `threeDsCode`, 123456).
 *
 *   8600000000000001  UzCard      approved
 *   9860000000000001  HUMO        approved
 *   4111111111111111  Visa        approved
 *   5555555555554444  MasterCard  approved
 *   8600000000000002  UzCard      declined by the issuer, before Pay: the merchant hears nothing
 *   9860000000000002  HUMO        insufficient funds, after Pay was accepted: no Notify follows
 *   4000000000000002  Visa        declined by the issuer, before Pay
 *
 * Any other 16-digit UzCard (8600) or HUMO (9860) number, and any Luhn-valid Visa or MasterCard
 * number, is approved. The sandbox keeps the masked number only.
 */

export type FormCardBehaviour = "approve" | "decline" | "insufficient_funds"

/** The form's payment systems, with the PAYMENT_ID/PAYMENT_NAME sent in Pay (uzcard 9 is the doc's; the rest are the sandbox's). */
export const FORM_PAYMENT_SYSTEMS = {
  uzcard: { paymentId: 9, title: "UzCard" },
  humo: { paymentId: 10, title: "HUMO" },
  visa: { paymentId: 11, title: "Visa" },
  mastercard: { paymentId: 12, title: "MasterCard" },
} as const

export type FormPaymentSystem = keyof typeof FORM_PAYMENT_SYSTEMS

export type FormTestCard = {
  number: string
  system: FormPaymentSystem
  behaviour: FormCardBehaviour
  description: string
}

export const FORM_TEST_CARDS: readonly FormTestCard[] = [
  { number: "8600000000000001", system: "uzcard", behaviour: "approve", description: "approved" },
  { number: "9860000000000001", system: "humo", behaviour: "approve", description: "approved" },
  { number: "4111111111111111", system: "visa", behaviour: "approve", description: "approved" },
  { number: "5555555555554444", system: "mastercard", behaviour: "approve", description: "approved" },
  {
    number: "8600000000000002",
    system: "uzcard",
    behaviour: "decline",
    description: "declined by the issuer, before Pay",
  },
  {
    number: "9860000000000002",
    system: "humo",
    behaviour: "insufficient_funds",
    description: "insufficient funds, after Pay was accepted (no Notify)",
  },
  {
    number: "4000000000000002",
    system: "visa",
    behaviour: "decline",
    description: "declined by the issuer, before Pay",
  },
]

export type FormCardSnapshot = { masked: string; system: FormPaymentSystem; behaviour: FormCardBehaviour }

/** What the form keeps of a card, or the reason it is refused (never echoing the number). */
export function inspectFormCard(
  cardNumber: string,
  expiry: string,
  now: number
): FormCardSnapshot | { error: string; field: "card_number" | "card_expiry" } {
  const digits = cardNumber.replace(/[\s-]/g, "")
  const system = formPaymentSystemOf(digits)
  if (!system) {
    return { error: "Enter a UzCard, HUMO, Visa or MasterCard number", field: "card_number" }
  }
  const match = /^(0[1-9]|1[0-2])\/?(\d{2})$/.exec(expiry.trim())
  if (!match) {
    return { error: "Enter the expiry as MM/YY", field: "card_expiry" }
  }
  const firstInvalidDay = Date.UTC(2000 + Number(match[2]), Number(match[1]), 1)
  if (now >= firstInvalidDay) {
    return { error: "The card has expired", field: "card_expiry" }
  }
  const behaviour = FORM_TEST_CARDS.find((card) => card.number === digits)?.behaviour ?? "approve"
  return { masked: maskPan(digits), system, behaviour }
}

function formPaymentSystemOf(digits: string): FormPaymentSystem | null {
  if (/^8600\d{12}$/.test(digits)) {
    return "uzcard"
  }
  if (/^9860\d{12}$/.test(digits)) {
    return "humo"
  }
  const brand = passesLuhn(digits) ? cardBrand(digits) : null
  return brand === "visa" || brand === "mastercard" ? brand : null
}

/** One line per test card, for the CLI banner. */
export function describeFormTestCards(): string[] {
  return FORM_TEST_CARDS.map(
    (card) => `${card.number}  ${FORM_PAYMENT_SYSTEMS[card.system].title.padEnd(10)}  ${card.description}`
  )
}
