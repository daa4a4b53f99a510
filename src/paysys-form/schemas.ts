import { z } from "zod"
import { paysysText } from "../paysys/schemas"
import { FORM_ENVIRONMENTS } from "./assumptions"

/*
 * What PaySys sends to the merchant, what the merchant answers, and the status API.
 * Requests are read leniently (JSON numbers or digit strings, "values arrive as JSON numbers")
 * and every signed value is kept as its decimal text, which is what the signature covers.
 * Answers are what we send: exact types.
 */

/*
 * Field formats are strict on purpose. Every SIGN_STRING is md5 over the fields' text run
 * together with no separator (signatures.ts), so the same digits split differently sign the
 * same: a Notify {AGR_TRANS_ID, VENDOR_TRANS_ID, STATUS 2, SIGN_TIME T} also signs a Cancel
 * {AGR_TRANS_ID, VENDOR_TRANS_ID, SIGN_TIME "2"+T}. Giving each field one spelling (ids without
 * leading zeros, STATUS one digit, SIGN_TIME 10 or 13 digits) leaves a forger few other splits;
 * the ones left are refused because a signature is accepted for one call only (the plugin's
 * record of accepted signatures) and SIGN_TIME must be fresh.
 */

/** A positive integer, 1503639319870 or "1503639319870" -> "1503639319870" (exact: never a float). */
export const formId = z
  .union([z.string(), z.number().int().positive().max(Number.MAX_SAFE_INTEGER)])
  .transform(String)
  .pipe(z.string().regex(/^[1-9]\d{0,18}$/, "must be a positive whole number without leading zeros"))

/** MERCHANT_TRANS_ID: a string of up to 256 characters; the doc example sends the number 7. */
export const merchantTransId = z
  .union([z.string(), z.number().int().nonnegative()])
  .transform(String)
  .pipe(z.string().min(1, "must not be empty").max(256, "must be at most 256 characters"))

/** SIGN_TIME as sent: 13 digits (ms, documented) or 10 (seconds, SIGN_TIME_DIGITS), nothing else. */
export const signTime = z
  .union([z.string(), z.number().int().positive().max(Number.MAX_SAFE_INTEGER)])
  .transform(String)
  .pipe(z.string().regex(/^[1-9](\d{9}|\d{12})$/, "must be a time in seconds (10 digits) or milliseconds (13 digits)"))

export const signString = z.string().regex(/^[0-9a-fA-F]{32}$/, "must be 32 hex characters (md5)")

export const formEnvironment = z.enum(FORM_ENVIRONMENTS)

export const infoRequest = z.object({
  MERCHANT_TRANS_ID: merchantTransId,
  SIGN_TIME: signTime,
  SIGN_STRING: signString,
})

export const payRequest = z.object({
  VENDOR_ID: formId,
  PAYMENT_ID: formId,
  PAYMENT_NAME: z.string().min(1, "must not be empty").max(64),
  AGR_TRANS_ID: formId,
  MERCHANT_TRANS_ID: merchantTransId,
  MERCHANT_TRANS_AMOUNT: formId,
  ENVIRONMENT: formEnvironment,
  /** base64 from the opening; outside the signature: never trusted */
  MERCHANT_TRANS_DATA: z.string().max(10_000).nullish(),
  SIGN_TIME: signTime,
  SIGN_STRING: signString,
})

/** Notify STATUS: 2 paid, 3 cancelled. */
export const NOTIFY_STATUS = { PAID: 2, CANCELLED: 3 } as const

export const notifyRequest = z.object({
  AGR_TRANS_ID: formId,
  VENDOR_TRANS_ID: formId,
  /** one digit, 2 or 3 ("02" is refused: it would shift the signed digits) */
  STATUS: z
    .union([z.number(), z.string()])
    .transform(String)
    .pipe(z.enum([String(NOTIFY_STATUS.PAID), String(NOTIFY_STATUS.CANCELLED)], "must be 2 or 3"))
    .transform((status) => Number(status) as typeof NOTIFY_STATUS.PAID | typeof NOTIFY_STATUS.CANCELLED),
  SIGN_TIME: signTime,
  SIGN_STRING: signString,
})

export const cancelRequest = z.object({
  AGR_TRANS_ID: formId,
  VENDOR_TRANS_ID: formId,
  SIGN_TIME: signTime,
  SIGN_STRING: signString,
})

export const statementRequest = z.object({
  FROM: formId,
  TO: formId,
  SIGN_TIME: signTime,
  SIGN_STRING: signString,
})

export const FISCALIZATION_TYPES = ["PAYMENT", "CANCEL"] as const

export const fiscalizationRequest = z.object({
  AGR_TRANS_ID: formId,
  /** any text: a wrong TYPE is answered -11 once the signature is checked */
  TYPE: z.string().min(1, "must not be empty").max(32),
  SIGN_TIME: signTime,
  SIGN_STRING: signString,
})

export type InfoRequest = z.output<typeof infoRequest>
export type PayRequest = z.output<typeof payRequest>
export type NotifyRequest = z.output<typeof notifyRequest>
export type CancelRequest = z.output<typeof cancelRequest>
export type StatementRequest = z.output<typeof statementRequest>
export type FiscalizationRequest = z.output<typeof fiscalizationRequest>

// ---- answers (merchant -> PaySys) --------------------------------------------------------

const errorCode = z.number().int()

export const errorAnswer = z.object({ ERROR: errorCode, ERROR_NOTE: z.string() })

export const infoAnswer = errorAnswer.extend({
  /** any non-personal reference data, an object */
  PARAMETERS: z.record(z.string(), z.unknown()).optional(),
})

export const vendorTransId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)

/** A success carries the merchant's integer VENDOR_TRANS_ID (VENDOR_TRANS_ID_MAX); an error, the two fields. */
export const payAnswer = errorAnswer
  .extend({ VENDOR_TRANS_ID: vendorTransId.optional() })
  .superRefine((answer, ctx) => {
    if (answer.ERROR === 0 && answer.VENDOR_TRANS_ID === undefined) {
      ctx.addIssue({ code: "custom", path: ["VENDOR_TRANS_ID"], message: "is required when ERROR is 0" })
    }
  })

/** A Statement line: numbers for ids, amount, STATE and DATE. */
export const statementTransaction = z.object({
  ENVIRONMENT: formEnvironment,
  AGR_TRANS_ID: z.number().int().nonnegative(),
  VENDOR_TRANS_ID: vendorTransId,
  MERCHANT_TRANS_ID: z.string().min(1),
  MERCHANT_TRANS_AMOUNT: z.number().int().nonnegative(),
  STATE: z.union([z.literal(NOTIFY_STATUS.PAID), z.literal(NOTIFY_STATUS.CANCELLED)]),
  DATE: z.number().int().nonnegative(),
})

export const statementAnswer = errorAnswer.extend({ TRANSACTIONS: z.array(statementTransaction).optional() })

export type InfoAnswer = z.output<typeof infoAnswer>
export type PayAnswer = z.output<typeof payAnswer>
export type StatementTransaction = z.output<typeof statementTransaction>
export type StatementAnswer = z.output<typeof statementAnswer>

// ---- status API (merchant -> PaySys) ------------------------------------------------------

export const statusRequest = z.object({
  VENDOR_ID: formId,
  AGR_TRANS_ID: formId,
  PAYMENT_ID: formId,
  SIGN_TIME: signTime,
  SIGN_STRING: signString,
})

export const statusAnswer = z.object({
  ERROR: z.union([
    z.number().int(),
    z
      .string()
      .regex(/^-?\d+$/)
      .transform(Number),
  ]),
  // stored on the attempt: PaySys's free text may echo the card
  ERROR_NOTE: paysysText.optional().default(""),
})

export type StatusRequest = z.output<typeof statusRequest>
export type StatusAnswer = z.output<typeof statusAnswer>
