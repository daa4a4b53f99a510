/** Card data helpers shared by the client, the sandbox and the store routes (the card rules: card-rules.ts). */

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
