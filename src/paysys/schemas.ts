import { z } from "zod"
import { redactCardNumbers } from "./card-data"
import { CARD_HOLDER_PATTERN } from "./card-rules"
import { CONFIRM_URL_RULE, isSafeConfirmUrl } from "./confirm-url"
import { PAYSYS_CURRENCY_CODES } from "./currencies"

/*
 * Requests go out exactly as the documentation shows them: every value a string.
 * Answers are read leniently: PaySys sends numbers or strings for the same field.
 */

const digits = (min: number, max: number) =>
  z.string().regex(new RegExp(`^\\d{${min},${max}}$`), `must be ${min}-${max} digits`)

export const cardHolderName = z
  .string()
  .regex(CARD_HOLDER_PATTERN, "must be 1-26 of the characters 0-9 a-z A-Z - / _ . and space")
export const cardNumber = digits(12, 19)
export const cardCvc = z.string().regex(/^\d{3}$/, "must be 3 digits")
/** prepare_payment takes YYMM */
export const cardExpireYYMM = z.string().regex(/^\d{2}(0[1-9]|1[0-2])$/, "must be YYMM")
/**
 * mir.card_registration takes YY/MM per the documentation's text, while its example shows
 * "04/27" (month 27?). We send YY/MM as the text says; the shape check stays loose so the
 * example still parses, and the store route builds the value from a validated expiry.
 */
export const cardExpireYYSlashMM = z.string().regex(/^\d{2}\/\d{2}$/, "must be YY/MM")
export const minorAmount = z.string().regex(/^[1-9]\d*$/, "must be a positive whole number of minor units")
export const currency = z.enum(PAYSYS_CURRENCY_CODES as [string, ...string[]])
export const partnerTransId = z.string().min(1).max(64)
export const clientIp = z.union([z.ipv4(), z.ipv6()])
export const description = z.string().min(1).max(125)

export const preparePaymentParams = z.object({
  card_holder_name: cardHolderName,
  card_number: cardNumber,
  card_expire: cardExpireYYMM,
  card_cvc: cardCvc,
  amount: minorAmount,
  currency,
  vendor_id: z.string().min(1),
  partner_trans_id: partnerTransId,
  client_ip_addr: clientIp,
  description,
  redirect_url: z.url().optional(),
})

export const checkPaymentParams = z.object({ partner_trans_id: partnerTransId })

export const cardRegistrationParams = z.object({
  card_number: cardNumber,
  card_expire: cardExpireYYSlashMM,
  card_cvc: cardCvc,
  card_holder: cardHolderName,
  account: z.string().min(1).max(64),
})

export const removeCardTokenParams = z.object({
  card_id: z.string().min(1),
  card_token: z.string().min(1),
})

export const payByIdParams = z.object({
  partner_trans_id: partnerTransId,
  card_id: z.string().min(1),
  amount: minorAmount,
  // the documented example sends "RUB": accept either case, we always send lower case
  currency: z
    .string()
    .transform((c) => c.toLowerCase())
    .pipe(currency),
  client_ip_addr: clientIp,
  description,
  vendor_id: z.string().min(1),
})

export const cancelPaymentParams = z.object({ partner_trans_id: partnerTransId })

export const refundPaymentParams = z.object({
  partner_trans_id: partnerTransId,
  amount: minorAmount,
  currency,
})

export type PreparePaymentParams = z.infer<typeof preparePaymentParams>
export type CheckPaymentParams = z.infer<typeof checkPaymentParams>
export type CardRegistrationParams = z.infer<typeof cardRegistrationParams>
export type RemoveCardTokenParams = z.infer<typeof removeCardTokenParams>
export type PayByIdParams = z.input<typeof payByIdParams>
export type CancelPaymentParams = z.infer<typeof cancelPaymentParams>
export type RefundPaymentParams = z.infer<typeof refundPaymentParams>

// ---- answers -------------------------------------------------------------

/** PaySys's text (messages, card fields) may hold a full card number: masked as it is read, so no caller can forget */
export const paysysText = z.string().transform(redactCardNumbers)

/** "1485295" or 1485295 -> "1485295" */
export const looseString = z.union([z.string(), z.number()]).transform(String)
/** "2" or 2 or "-1" -> number */
export const looseInt = z
  .union([z.number(), z.string().regex(/^-?\d+$/)])
  .transform(Number)
  .pipe(z.number().int())

export const paysysErrorObject = z.object({ code: looseInt, message: paysysText })

export const envelope = z.object({
  id: z.union([z.string(), z.number()]).nullish(),
  error: paysysErrorObject.nullable().optional(),
  result: z.unknown().optional(),
  mx_id: z.string().nullish(),
})

/** The bank's answer echoed by check/cancel/refund: free-form, kept for the merchant. */
const bankData = z
  .record(z.string(), z.unknown())
  .nullish()
  .transform((d) => d ?? {})

/** Where PaySys sends the shopper for 3-D Secure: opened in the shopper's browser (see isSafeConfirmUrl). */
const confirmUrl = z.string().refine(isSafeConfirmUrl, CONFIRM_URL_RULE)

export const preparePaymentResult = z.object({
  transaction_id: looseString,
  confirm_url: confirmUrl,
})

export const paymentStatusResult = z.object({
  transaction_id: looseString,
  partner_trans_id: looseString,
  status: looseInt,
  data: bankData,
  err_obj: paysysErrorObject.nullish().transform((e) => e ?? null),
})

export const cardRegistrationResult = z.object({
  card_id: looseString,
  confirm_url: confirmUrl,
})

export const removeCardTokenResult = z.object({ pan: paysysText })

export const payByIdResult = z.object({
  details: z.object({
    id: looseString, // RRN
    masked_card_number: paysysText,
    transaction_id: looseString,
    bank_transaction_id: looseString.nullish(),
    amount: looseString,
    merchantId: looseString.nullish(),
    terminalId: looseString.nullish(),
    date: looseInt,
  }),
  payment_id: looseString.nullish(),
})

export type PreparePaymentResult = z.infer<typeof preparePaymentResult>
export type PaymentStatusResult = z.infer<typeof paymentStatusResult>
export type CardRegistrationResult = z.infer<typeof cardRegistrationResult>
export type RemoveCardTokenResult = z.infer<typeof removeCardTokenResult>
export type PayByIdResult = z.infer<typeof payByIdResult>
