/** Card data helpers shared by the client, the sandbox and the store routes. */

export function maskPan(pan: string): string {
  const digits = pan.replace(/\D/g, "")
  if (digits.length < 12) {
    return "*".repeat(digits.length)
  }
  return `${digits.slice(0, 6)}${"*".repeat(digits.length - 10)}${digits.slice(-4)}`
}

/** Masks anything that looks like a card number inside free text (PaySys's own messages included). */
export function redactCardNumbers(text: string): string {
  return text.replace(/\d{12,19}/g, (digits) => maskPan(digits))
}

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
export function cardBrand(pan: string): "visa" | "mastercard" | "mir" | null {
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
