import { createHash, timingSafeEqual } from "node:crypto"

/*
 * Every SIGN_STRING of the form protocol: md5 of SECRET_KEY followed by the listed fields'
 * decimal text, no separator, UTF-8, 32 lowercase hex.
 * A field's text is exactly what travels: "150000", never "150000.00"; a JSON number
 * 1503639319870 signs as "1503639319870".
 */

type Text = string | number

/** The fields each signature covers, after the secret, in order. */
export const SIGNED_FIELDS = {
  form: ["VENDOR_ID", "MERCHANT_TRANS_ID", "MERCHANT_TRANS_AMOUNT", "MERCHANT_CURRENCY", "SIGN_TIME"],
  info: ["MERCHANT_TRANS_ID", "SIGN_TIME"],
  pay: [
    "AGR_TRANS_ID",
    "VENDOR_ID",
    "PAYMENT_ID",
    "PAYMENT_NAME",
    "MERCHANT_TRANS_ID",
    "MERCHANT_TRANS_AMOUNT",
    "ENVIRONMENT",
    "SIGN_TIME",
  ],
  notify: ["AGR_TRANS_ID", "VENDOR_TRANS_ID", "STATUS", "SIGN_TIME"],
  cancel: ["AGR_TRANS_ID", "VENDOR_TRANS_ID", "SIGN_TIME"],
  statement: ["FROM", "TO", "SIGN_TIME"],
  fiscalization: ["AGR_TRANS_ID", "TYPE", "SIGN_TIME"],
  status: ["AGR_TRANS_ID", "VENDOR_ID", "PAYMENT_ID", "SIGN_TIME"],
} as const

export type SignedMessage = keyof typeof SIGNED_FIELDS

export type SignedValues<M extends SignedMessage> = Record<(typeof SIGNED_FIELDS)[M][number], Text>

/** The string that is hashed (tests and support show it; it contains the secret: never log it). */
export function signatureBase<M extends SignedMessage>(message: M, secretKey: string, values: SignedValues<M>): string {
  const fields = SIGNED_FIELDS[message] as readonly (keyof SignedValues<M>)[]
  return secretKey + fields.map((field) => String(values[field])).join("")
}

/** The fields a message's signature covers, as their text, by name. */
export function signedFields<M extends SignedMessage>(message: M, values: SignedValues<M>): Record<string, string> {
  return Object.fromEntries(
    (SIGNED_FIELDS[message] as readonly (keyof SignedValues<M> & string)[]).map((field) => [
      field,
      String(values[field]),
    ])
  )
}

/** SIGN_STRING of one message. */
export function signFormMessage<M extends SignedMessage>(
  message: M,
  secretKey: string,
  values: SignedValues<M>
): string {
  return createHash("md5")
    .update(signatureBase(message, secretKey, values), "utf8")
    .digest("hex")
}

/** Constant-time check of a received SIGN_STRING (case-insensitive hex). */
export function isFormSignatureValid<M extends SignedMessage>(
  message: M,
  secretKey: string,
  values: SignedValues<M>,
  given: unknown
): boolean {
  if (typeof given !== "string" || !/^[0-9a-fA-F]{32}$/.test(given)) {
    return false
  }
  const expected = Buffer.from(signFormMessage(message, secretKey, values), "hex")
  return timingSafeEqual(expected, Buffer.from(given, "hex"))
}
