import { SandboxErrorKey } from "./errors"

/**
 * Test cards of the PaySys sandbox. Use any future expiry date and any 3-digit CVC.
 * The 3-D Secure code is 123456 (option `threeDsCode`).
 *
 *   4111111111111111  Visa         approved
 *   5555555555554444  MasterCard   approved
 *   2200000000000004  MIR          approved
 *   4000000000000002  Visa         declined by the issuer (after 3-D Secure)
 *   4000000000009995  Visa         insufficient funds (after 3-D Secure)
 *   4000000000000101  Visa         3-D Secure authentication fails, whatever the code
 *
 * Any other Luhn-valid Visa, MasterCard or MIR number is approved. A card saved through
 * mir.card_registration keeps the behaviour of its number: paysys.pay_by_id with a card saved
 * from 4000000000000002 is declined, from 4000000000009995 fails for insufficient funds.
 *
 * The sandbox never stores a card number: it keeps the masked PAN, the brand and the behaviour.
 */

export type CardBehaviour = "approve" | "decline" | "insufficient_funds" | "three_ds_fail"

export type TestCard = {
  number: string
  brand: "visa" | "mastercard" | "mir"
  behaviour: CardBehaviour
  description: string
}

export const TEST_CARDS: readonly TestCard[] = [
  { number: "4111111111111111", brand: "visa", behaviour: "approve", description: "approved" },
  { number: "5555555555554444", brand: "mastercard", behaviour: "approve", description: "approved" },
  { number: "2200000000000004", brand: "mir", behaviour: "approve", description: "approved" },
  { number: "4000000000000002", brand: "visa", behaviour: "decline", description: "declined by the issuer" },
  { number: "4000000000009995", brand: "visa", behaviour: "insufficient_funds", description: "insufficient funds" },
  {
    number: "4000000000000101",
    brand: "visa",
    behaviour: "three_ds_fail",
    description: "3-D Secure authentication fails whatever the code",
  },
]

/** What a card does; any number that is not a test card is approved. */
export function cardBehaviourOf(cardNumber: string): CardBehaviour {
  return TEST_CARDS.find((card) => card.number === cardNumber)?.behaviour ?? "approve"
}

/** The error a behaviour ends a charge with, or null when the charge is approved. */
export function declineOf(behaviour: CardBehaviour): SandboxErrorKey | null {
  switch (behaviour) {
    case "decline":
      return "DECLINED_BY_ISSUER"
    case "insufficient_funds":
      return "INSUFFICIENT_FUNDS"
    case "three_ds_fail":
      // only reachable through pay_by_id with a card that somehow got saved: treat as a decline
      return "DECLINED_BY_ISSUER"
    default:
      return null
  }
}

/** One line per test card, for the CLI banner and the index page. */
export function describeTestCards(): string[] {
  return TEST_CARDS.map((card) => `${card.number}  ${card.brand.padEnd(10)}  ${card.description}`)
}
