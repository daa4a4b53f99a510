import {
  CARD_PROBLEM_MESSAGES,
  CardField,
  CardInputFields,
  CardProblemCode,
  cardProblems,
} from "medusa-payment-paysys-storefront"
import { StoreSaveCard, StoreSubmitCardPayment } from "../validators"

/*
 * The storefront kit tells the shopper what the store route would answer: on every row of one
 * table, the kit's card rules (medusa-payment-paysys-storefront) and the route's validators
 * accept the same cards and refuse the others with the same message.
 */

const GOOD: CardInputFields = {
  card_holder_name: "AZIZ KARIMOV",
  card_number: "4111 1111 1111 1111",
  card_expiry: "12/30",
  card_cvc: "737",
}

const TABLE: [CardField, string, CardProblemCode | null][] = [
  ["card_holder_name", "AZIZ KARIMOV", null],
  ["card_holder_name", "  aziz karimov ", null],
  ["card_holder_name", "O'NEIL", "holder_name_invalid"],
  ["card_holder_name", "J.R. SMITH-JONES/2 _X", null],
  ["card_holder_name", "Азиз Каримов", "holder_name_invalid"],
  ["card_holder_name", "", "holder_name_invalid"],
  ["card_holder_name", "A".repeat(26), null],
  ["card_holder_name", "A".repeat(27), "holder_name_invalid"],
  ["card_number", "4111111111111111", null],
  ["card_number", "4111-1111-1111-1111", null],
  ["card_number", "5555 5555 5555 4444", null],
  ["card_number", "2221 0000 0000 0009", null],
  ["card_number", "2200 0000 0000 0004", null],
  ["card_number", "4111111111111112", "number_luhn"],
  ["card_number", "41111", "number_length"],
  ["card_number", "4111 1111 1111 1111 1111", "number_length"],
  ["card_number", "4111x111111111111", "number_length"],
  ["card_number", "", "number_length"],
  ["card_number", "378282246310005", "number_brand"],
  ["card_number", "6011111111111117", "number_brand"],
  ["card_number", "8600 1234 5678 9012", "number_uzcard_humo"],
  ["card_number", "9860 1234 5678 9015", "number_uzcard_humo"],
  ["card_expiry", "12/30", null],
  ["card_expiry", " 01 / 99 ", null],
  ["card_expiry", "13/30", "expiry_format"],
  ["card_expiry", "00/30", "expiry_format"],
  ["card_expiry", "1230", "expiry_format"],
  ["card_expiry", "12/2030", "expiry_format"],
  ["card_expiry", "01/20", "expiry_past"],
  ["card_cvc", "737", null],
  ["card_cvc", "12", "cvc_invalid"],
  ["card_cvc", "1234", "cvc_invalid"],
  ["card_cvc", "73a", "cvc_invalid"],
]

function routeMessage(
  schema: typeof StoreSaveCard | typeof StoreSubmitCardPayment,
  body: Record<string, string>,
  field: CardField
) {
  const parsed = schema.safeParse(body)
  return parsed.success ? undefined : parsed.error.issues.find((issue) => issue.path[0] === field)?.message
}

describe("card rules: the storefront kit and the store routes agree", () => {
  it.each(TABLE)("%s %j -> %s", (field, value, expected) => {
    const card = { ...GOOD, [field]: value }
    const kit = cardProblems(card).find((problem) => problem.field === field)

    expect(kit?.code ?? null).toBe(expected)
    const message = expected ? CARD_PROBLEM_MESSAGES[expected] : undefined
    expect(kit?.message).toBe(message)
    expect(routeMessage(StoreSaveCard, card, field)).toBe(message)
    expect(routeMessage(StoreSubmitCardPayment, { ...card, redirect_url: "http://localhost:8000/return" }, field)).toBe(
      message
    )
  })

  it("no message holds the card's value", () => {
    const bad = { ...GOOD, card_number: "8600123456789012", card_cvc: "12" }
    const parsed = StoreSaveCard.safeParse(bad)
    expect(parsed.success).toBe(false)
    const said = JSON.stringify([parsed.error?.issues.map((i) => i.message), cardProblems(bad)])
    expect(said).not.toContain("8600123456789012")
    expect(said).not.toContain('"12"')
  })

  it("a card number sent as a JSON number is named, not echoed", () => {
    const parsed = StoreSaveCard.safeParse({ ...GOOD, card_number: 4111111111111111 })
    expect(parsed.error?.issues.map((issue) => issue.message)).toEqual(["card_number must be a string"])
    expect(JSON.stringify(parsed.error?.issues)).not.toContain("4111111111111111")
  })
})
