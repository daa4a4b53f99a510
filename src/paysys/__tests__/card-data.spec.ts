import { cardBrand, maskPan, passesLuhn, redactCardNumbers } from ".."

describe("card data", () => {
  it("masks a PAN as first 6 + last 4", () => {
    expect(maskPan("4278000000275400")).toBe("427800******5400")
    expect(maskPan("4278 0000 0027 5400")).toBe("427800******5400")
    expect(maskPan("2200000000000004123")).toBe("220000*********4123")
  })

  it("redacts card numbers inside free text", () => {
    expect(redactCardNumbers("card 4111111111111111 declined")).toBe("card 411111******1111 declined")
  })

  it.each([
    ["-31630 Card 4111111111111111 is blocked", "-31630 Card 411111******1111 is blocked"],
    ["Card 4111 1111 1111 1111 is blocked", "Card 411111******1111 is blocked"],
    ["Card 4111-1111-1111-1111 is blocked", "Card 411111******1111 is blocked"],
    ["Card 4111 - 1111 - 1111 - 1111 is blocked", "Card 411111******1111 is blocked"],
    ["Card 4111-1111 1111-1111, CVC 737", "Card 411111******1111, CVC 737"],
    ["pan=5555555555554444;", "pan=555555******4444;"],
    ["MIR 2200 0000 0000 0004 123", "MIR 220000******0004 123"],
    ["cards 4111111111111111 and 5555-5555-5555-4444", "cards 411111******1111 and 555555******4444"],
    ["UzCard 8600 3129 9409 9018", "UzCard 860031******9018"],
    ["card\u00a04111\u00a01111\u00a01111\u00a01111", "card\u00a0411111******1111"],
  ])("masks a card number run together, with spaces or dashes: %s", (text, masked) => {
    expect(redactCardNumbers(text)).toBe(masked)
  })

  it.each([
    "amount 75000000 is over the limit",
    "transaction 1485295, bank transaction 100053825",
    "created 2026-12-07 10:00:00, 07.12.2026",
    "id 1234567890123", // 13 digits failing Luhn: an id, not a card
    "account 998123456789", // a phone number as the account
    "uzs 1 000 - 75 000 000",
    "signed at 1765100000000", // a millisecond time (one in ten passes Luhn and is masked)
    "4111111111111112 fails Luhn",
    "a run of 20 digits 41111111111111111111",
    "order-1796632253452-3", // passes Luhn, but starts as no card
    "Amex 3782 822463 10005", // never sent to PaySys
  ])("leaves what is no card number alone: %s", (text) => {
    expect(redactCardNumbers(text)).toBe(text)
  })

  it("checks Luhn", () => {
    expect(passesLuhn("4111111111111111")).toBe(true)
    expect(passesLuhn("4111111111111112")).toBe(false)
    expect(passesLuhn("41111111")).toBe(false)
  })

  it("knows the brands PaySys takes", () => {
    expect(cardBrand("4111111111111111")).toBe("visa")
    expect(cardBrand("5555555555554444")).toBe("mastercard")
    expect(cardBrand("2221000000000009")).toBe("mastercard")
    expect(cardBrand("2200000000000004")).toBe("mir")
    expect(cardBrand("378282246310005")).toBeNull() // Amex
  })
})
