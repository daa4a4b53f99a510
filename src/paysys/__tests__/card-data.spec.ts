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
