/** Card data helpers shared by the client, the sandbox and the store routes (the card rules: card-rules.ts). */
import { cardBrand, isUzcardOrHumo, passesLuhn } from "./card-rules"

export function maskPan(pan: string): string {
  const digits = pan.replace(/\D/g, "")
  if (digits.length < 12) {
    return "*".repeat(digits.length)
  }
  return `${digits.slice(0, 6)}${"*".repeat(digits.length - 10)}${digits.slice(-4)}`
}

/** Groups of digits joined by spaces, dashes or both ("4111 1111-1111 - 1111"). */
const DIGIT_GROUPS = /\d+(?:(?:[ \u00a0]*-[ \u00a0]*|[ \u00a0]+)\d+)*/g

/**
 * Masks every card number inside free text: PaySys's messages, which may echo the card, go
 * through here before they are logged, thrown or stored.
 *
 * The rule: 12 to 19 digits, run together or in groups joined by spaces or dashes, are masked
 * (first 6 + last 4, separators included) when they are a Visa, MasterCard or MIR number passing
 * the Luhn check, or begin as UzCard or HUMO (8600, 5614, 9860: PaySys's hosted form takes them,
 * Luhn or not). Every card number sent to PaySys is one (the store routes' card rules refuse any
 * other), so every echo of one is caught, while what merely looks long stays readable: PaySys's
 * transaction ids (7-9 digits in its documentation), amounts, dates, millisecond times, ids such
 * as "order-1796632253452-3" (a 12-19 digit id is masked only when it passes Luhn, one in ten,
 * and starts like a card; a 12-digit RRN that does is lost from the text only: the ledger keeps
 * the RRN in its own field).
 * Groups are tried from each group's start, longest first, so a card next to another number
 * ("4111 1111 1111 1111 737") is still found. A run of more than 19 digits is no card number.
 */
export function redactCardNumbers(text: string): string {
  return text.replace(DIGIT_GROUPS, (span) => redactSpan(span))
}

function redactSpan(span: string): string {
  const groups: { start: number; end: number }[] = []
  const digitRun = /\d+/g
  for (let match = digitRun.exec(span); match; match = digitRun.exec(span)) {
    groups.push({ start: match.index, end: digitRun.lastIndex })
  }
  let out = ""
  let copiedTo = 0
  for (let first = 0; first < groups.length;) {
    const last = longestCardFrom(span, groups, first)
    if (last === null) {
      first += 1
      continue
    }
    const from = groups[first].start
    const to = groups[last].end
    out += span.slice(copiedTo, from) + maskPan(span.slice(from, to))
    copiedTo = to
    first = last + 1
  }
  return out + span.slice(copiedTo)
}

/** The last group of the longest card number starting at group `first`, or null. */
function longestCardFrom(span: string, groups: { start: number; end: number }[], first: number): number | null {
  let found: number | null = null
  let digits = ""
  for (let last = first; last < groups.length; last++) {
    digits += span.slice(groups[last].start, groups[last].end)
    if (digits.length > 19) {
      break
    }
    if (digits.length >= 12 && isCardNumber(digits)) {
      found = last
    }
  }
  return found
}

function isCardNumber(digits: string): boolean {
  return (passesLuhn(digits) && cardBrand(digits) !== null) || isUzcardOrHumo(digits)
}
