import { z } from "zod"
import { PaysysValidationError } from "../paysys/errors"
import { FormAmountOptions, toFormAmount, toFormCurrency } from "./amounts"
import { formId, merchantTransId, signString } from "./schemas"
import { signFormMessage } from "./signatures"

/*
 * The fields the shopper's browser posts to the form URL, signed. The secret never
 * leaves the server: only these fields go to the storefront.
 */

export type FormFields = {
  VENDOR_ID: string
  MERCHANT_TRANS_ID: string
  MERCHANT_TRANS_AMOUNT: string
  MERCHANT_CURRENCY: string
  MERCHANT_TRANS_NOTE: string
  MERCHANT_TRANS_DATA?: string
  MERCHANT_TRANS_RETURN_URL?: string
  SIGN_TIME: string
  SIGN_STRING: string
}

export type BuildFormFieldsInput = FormAmountOptions & {
  vendorId: string | number
  secretKey: string
  /** our attempt id: the order id PaySys echoes in Pay */
  merchantTransId: string
  /** minor units (tiyin, cents) */
  amount: string | number
  /** Medusa's code: "uzs" or "usd" */
  currency: string
  /** mandatory free text, up to 256 characters */
  note: string
  /** unsigned: the shopper can change it, so never put anything trusted in it */
  returnUrl?: string
  /** unsigned merchant data, echoed in Pay (base64 of `data`'s JSON) */
  data?: Record<string, unknown>
  /** ms; now by default */
  signTime?: number
}

const buildInput = z.object({
  vendorId: z
    .union([z.string(), z.number()])
    .transform(String)
    .pipe(z.string().regex(/^\d{1,19}$/, "must be the numeric VENDOR_ID")),
  secretKey: z.string().min(1, "must not be empty"),
  merchantTransId: z.string().min(1, "must not be empty").max(256, "must be at most 256 characters"),
  note: z
    .string()
    .min(1, "must not be empty (MERCHANT_TRANS_NOTE is mandatory)")
    .max(256, "must be at most 256 characters"),
  returnUrl: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
  signTime: z.number().int().positive().optional(),
})

/** Builds and signs the form's fields; a bad input throws a PaysysValidationError naming it. */
export function buildFormFields(input: BuildFormFieldsInput): FormFields {
  const parsed = buildInput.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const field = issue.path.join(".") || "input"
    throw new PaysysValidationError(field, `PaySys form: ${field} ${issue.message}`)
  }
  const { vendorId, secretKey, merchantTransId: orderId, note, returnUrl } = parsed.data
  const amount = toFormAmount(input.amount, input.currency, input)
  const currency = toFormCurrency(input.currency).name
  const signTime = String(parsed.data.signTime ?? Date.now())
  const fields: FormFields = {
    VENDOR_ID: vendorId,
    MERCHANT_TRANS_ID: orderId,
    MERCHANT_TRANS_AMOUNT: amount,
    MERCHANT_CURRENCY: currency,
    MERCHANT_TRANS_NOTE: note,
    SIGN_TIME: signTime,
    SIGN_STRING: signFormMessage("form", secretKey, {
      VENDOR_ID: vendorId,
      MERCHANT_TRANS_ID: orderId,
      MERCHANT_TRANS_AMOUNT: amount,
      MERCHANT_CURRENCY: currency,
      SIGN_TIME: signTime,
    }),
  }
  if (input.data !== undefined) {
    fields.MERCHANT_TRANS_DATA = Buffer.from(JSON.stringify(input.data), "utf8").toString("base64")
  }
  if (returnUrl !== undefined) {
    fields.MERCHANT_TRANS_RETURN_URL = returnUrl
  }
  return fields
}

/** The form fields as PaySys receives them (the sandbox's form page reads them with this). */
export const formFieldsSchema = z.object({
  VENDOR_ID: formId,
  MERCHANT_TRANS_ID: merchantTransId,
  MERCHANT_TRANS_AMOUNT: formId.pipe(z.string().regex(/^[1-9]\d*$/, "must be a positive whole number")),
  MERCHANT_CURRENCY: z.string().min(1, "must not be empty").max(10),
  MERCHANT_TRANS_NOTE: z.string().min(1, "must not be empty").max(256),
  MERCHANT_TRANS_DATA: z.string().max(10_000).optional(),
  MERCHANT_TRANS_RETURN_URL: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
  SIGN_TIME: formId,
  SIGN_STRING: signString,
})

export type ReceivedFormFields = z.output<typeof formFieldsSchema>
