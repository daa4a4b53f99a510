import { z } from "zod"
import { PaysysValidationError } from "./errors"
import * as schemas from "./schemas"

/** One documented call of the host-to-host API: its method, what it takes and what it answers. */
export type CallSpec<P extends z.ZodTypeAny, R extends z.ZodTypeAny> = {
  method: string
  params: P
  result: R
  /** safe to send again after a transport failure */
  readOnly?: boolean
}

export const PREPARE_PAYMENT = {
  method: "paysys.prepare_payment",
  params: schemas.preparePaymentParams,
  result: schemas.preparePaymentResult,
}
export const CHECK_PAYMENT = {
  method: "paysys.check_payment",
  params: schemas.checkPaymentParams,
  result: schemas.paymentStatusResult,
  readOnly: true,
}
export const CARD_REGISTRATION = {
  method: "mir.card_registration",
  params: schemas.cardRegistrationParams,
  result: schemas.cardRegistrationResult,
}
export const REMOVE_CARD_TOKEN = {
  method: "mir.remove_card_token",
  params: schemas.removeCardTokenParams,
  result: schemas.removeCardTokenResult,
}
export const PAY_BY_ID = { method: "paysys.pay_by_id", params: schemas.payByIdParams, result: schemas.payByIdResult }
export const CANCEL_PAYMENT = {
  method: "paysys.cancel_payment",
  params: schemas.cancelPaymentParams,
  result: schemas.paymentStatusResult,
}
export const REFUND_PAYMENT = {
  method: "paysys.refund_payment",
  params: schemas.refundPaymentParams,
  result: schemas.paymentStatusResult,
}

/** The call's parameters as its schema reads them, or a PaysysValidationError before anything is sent. */
export function parseParams(spec: CallSpec<z.ZodTypeAny, z.ZodTypeAny>, params: unknown) {
  const parsed = spec.params.safeParse(params)
  if (!parsed.success) {
    // the message names the field and the rule, never the value: values may be card data
    const issue = parsed.error.issues[0]
    const field = issue.path.join(".") || "params"
    throw new PaysysValidationError(field, `${spec.method}: ${field} ${issue.message}`)
  }
  return parsed.data
}
