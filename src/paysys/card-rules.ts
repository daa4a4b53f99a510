/*
 * The card rules PaySys's card methods impose, as plain functions with no dependencies: the
 * plugin's store routes apply them (src/api/store/paysys/validators.ts) and so does the
 * storefront kit in the shopper's browser (storefront/), so a shopper is told exactly what the
 * route would answer before anything is sent. Messages name the field and the rule, never the
 * value: a card number must not come back in an error, a log line or a response.
 */

export type CardField = "card_holder_name" | "card_number" | "card_expiry" | "card_cvc"

export type CardProblemCode =
  | "holder_name_invalid"
  | "number_length"
  | "number_luhn"
  | "number_uzcard_humo"
  | "number_brand"
  | "expiry_format"
  | "expiry_past"
  | "cvc_invalid"

export type CardProblem = { field: CardField; code: CardProblemCode; message: string }

export type CardBrand = "visa" | "mastercard" | "mir"

export const CARD_PROBLEM_MESSAGES: Record<CardProblemCode, string> = {
  holder_name_invalid: "card_holder_name must be 1-26 Latin letters, digits, spaces or - / _ .",
  number_length: "card_number must be 12-19 digits",
  number_luhn: "card_number is not a valid card number",
  number_uzcard_humo:
    "card_number must be a Visa, MasterCard or MIR card: UzCard and HUMO cards are paid on PaySys's payment form, where the store offers it",
  number_brand: "card_number must be a Visa, MasterCard or MIR card",
  expiry_format: "card_expiry must be MM/YY",
  expiry_past: "card_expiry: the card has expired",
  cvc_invalid: "card_cvc must be 3 digits",
}

const FIELD_OF: Record<CardProblemCode, CardField> = {
  holder_name_invalid: "card_holder_name",
  number_length: "card_number",
  number_luhn: "card_number",
  number_uzcard_humo: "card_number",
  number_brand: "card_number",
  expiry_format: "card_expiry",
  expiry_past: "card_expiry",
  cvc_invalid: "card_cvc",
}

export function cardProblem(code: CardProblemCode): CardProblem {
  return { field: FIELD_OF[code], code, message: CARD_PROBLEM_MESSAGES[code] }
}

/** Valid characters for a cardholder name, from the documentation. */
export const CARD_HOLDER_PATTERN = /^[0-9a-zA-Z\-/ _.]{1,26}$/
const EXPIRY_PATTERN = /^(0[1-9]|1[0-2])\s*\/\s*(\d{2})$/

export function passesLuhn(pan: string): boolean {
  if (!/^\d{12,19}$/.test(pan)) {
    return false
  }
  let sum = 0
  for (let i = 0; i < pan.length; i++) {
    let digit = Number(pan[pan.length - 1 - i])
    if (i % 2 === 1) {
      digit *= 2
      if (digit > 9) {
        digit -= 9
      }
    }
    sum += digit
  }
  return sum % 10 === 0
}

/** The brand PaySys accepts for a PAN, by its BIN range; null when it is none of them. */
export function cardBrand(pan: string): CardBrand | null {
  if (/^4/.test(pan)) {
    return "visa"
  }
  if (/^(5[1-5]|2(22[1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720))/.test(pan)) {
    return "mastercard"
  }
  if (/^220[0-4]/.test(pan)) {
    return "mir"
  }
  return null
}

/** UzCard (8600, 5614) and HUMO (9860): Uzbek domestic cards, taken only by PaySys's hosted form. */
export function isUzcardOrHumo(pan: string): boolean {
  return /^(8600|5614|9860)/.test(pan)
}

/** "4111 1111-1111 1111" -> "4111111111111111" */
export function normalizeCardNumber(number: string): string {
  return number.replace(/[\s-]/g, "")
}

/** As embossed: PaySys takes upper case. */
export function normalizeCardHolderName(name: string): string {
  return name.trim().toUpperCase()
}

/** "12 / 30" -> { month: "12", year: "30" }; null when it is not MM/YY. */
export function parseCardExpiry(expiry: string): { month: string; year: string } | null {
  const match = EXPIRY_PATTERN.exec(expiry.trim())
  return match ? { month: match[1], year: match[2] } : null
}

export function cardHolderNameProblem(name: string): CardProblem | null {
  return CARD_HOLDER_PATTERN.test(normalizeCardHolderName(name)) ? null : cardProblem("holder_name_invalid")
}

export function cardNumberProblem(number: string): CardProblem | null {
  const pan = normalizeCardNumber(number)
  if (!/^\d{12,19}$/.test(pan)) {
    return cardProblem("number_length")
  }
  if (!passesLuhn(pan)) {
    return cardProblem("number_luhn")
  }
  if (cardBrand(pan) === null) {
    return cardProblem(isUzcardOrHumo(pan) ? "number_uzcard_humo" : "number_brand")
  }
  return null
}

/** A card is valid through the last day of its expiry month. */
export function cardExpiryProblem(expiry: string, now: Date = new Date()): CardProblem | null {
  const parsed = parseCardExpiry(expiry)
  if (!parsed) {
    return cardProblem("expiry_format")
  }
  const endOfMonth = Date.UTC(2000 + Number(parsed.year), Number(parsed.month), 1)
  return endOfMonth <= now.getTime() ? cardProblem("expiry_past") : null
}

export function cardCvcProblem(cvc: string): CardProblem | null {
  return /^\d{3}$/.test(cvc) ? null : cardProblem("cvc_invalid")
}

export type CardInputFields = Record<CardField, string>

/** Every field's first problem, in the form's order; empty when PaySys may be sent the card. */
export function cardProblems(card: CardInputFields, now: Date = new Date()): CardProblem[] {
  return [
    cardHolderNameProblem(card.card_holder_name),
    cardNumberProblem(card.card_number),
    cardExpiryProblem(card.card_expiry, now),
    cardCvcProblem(card.card_cvc),
  ].filter((found): found is CardProblem => found !== null)
}
