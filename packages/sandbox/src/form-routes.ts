import { IncomingMessage, ServerResponse } from "node:http"
import { FORM_CURRENCY_NAMES } from "../../../src/paysys-form/assumptions"
import { parseMerchantCallback } from "../../../src/paysys-form/callbacks"
import { FORM_ERRORS } from "../../../src/paysys-form/error-codes"
import { formFieldsSchema } from "../../../src/paysys-form/form-fields"
import { isFormSignatureValid } from "../../../src/paysys-form/signatures"
import { CallLog } from "./call-log"
import type { FaultRegistry } from "./faults"
import { inspectFormCard } from "./form-cards"
import { FormMerchantApi } from "./form-merchant-api"
import { renderCardPage, renderFormRefusedPage, renderFormResultPage, renderSmsPage } from "./form-pages"
import { FormPayments } from "./form-state"
import { readBodyOr413, redirect, sendHtml, sendText } from "./http-utils"
import { SandboxLogger } from "./options"
import { renderNotFoundPage } from "./three-ds-page"

/*
 * The payment form, as a shopper's browser meets it:
 *   GET|POST /form            the merchant's signed fields (query or form body) -> 303 /form/:id
 *   GET      /form/:id        the page for the payment's state: card, SMS code, or result
 *   POST     /form/:id/card   card_number, card_expiry -> 303 /form/:id (the SMS page)
 *   POST     /form/:id/sms    code -> Pay to the merchant, the debit, Notify 2 queued -> the result
 * A declining card ends the payment before Pay; a wrong SMS code too.
 */

export type FormRouteDeps = {
  payments: FormPayments
  merchantApi: FormMerchantApi
  calls: CallLog
  credentials: { vendorId: string; secretKey: string }
  smsCode: string
  maxBodyBytes: number
  /** faults of the status API (form.payment_status) */
  faults?: FaultRegistry
  logger?: SandboxLogger
}

const FORM_CURRENCIES = new Set<string>(Object.values(FORM_CURRENCY_NAMES))

export async function handleForm(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  deps: FormRouteDeps
): Promise<void> {
  const path = url.pathname.replace(/\/+$/, "")
  if (path === "/form") {
    return openForm(request, response, url, deps)
  }
  const match = /^\/form\/([0-9a-f]+)(?:\/(card|sms))?$/.exec(path)
  const payment = match ? deps.payments.find(match[1]) : undefined
  if (!match || !payment) {
    return sendHtml(response, 404, renderNotFoundPage())
  }
  const merchant = `Sandbox merchant (VENDOR_ID ${payment.vendorId})`
  const step = match[2]
  if (!step) {
    if (request.method !== "GET") {
      response.setHeader("Allow", "GET")
      return sendText(response, 405, "GET the payment page")
    }
    if (payment.status === "opened") {
      return sendHtml(response, 200, renderCardPage(payment, merchant))
    }
    if (payment.status === "card_entered") {
      return sendHtml(response, 200, renderSmsPage(payment, merchant, deps.smsCode))
    }
    return sendHtml(response, 200, renderFormResultPage(payment, payment.vendorId))
  }
  if (request.method !== "POST") {
    response.setHeader("Allow", "POST")
    return sendText(response, 405, "POST the form")
  }
  const raw = await readBodyOr413(request, response, deps.maxBodyBytes)
  if (raw === null) {
    return
  }
  const form = new URLSearchParams(raw)
  if (step === "card") {
    if (payment.status !== "opened") {
      return redirect(response, `/form/${payment.formId}`)
    }
    const card = inspectFormCard(
      form.get("card_number") ?? "",
      form.get("card_expiry") ?? "",
      deps.payments.clock.now()
    )
    if ("error" in card) {
      return sendHtml(response, 422, renderCardPage(payment, merchant, card.error))
    }
    deps.payments.enterCard(payment, card)
    if (card.behaviour === "decline") {
      deps.payments.fail(payment, "The card was declined by the issuer")
      deps.logger?.info(`form ${payment.merchantTransId}: card declined before Pay`)
    }
    return redirect(response, `/form/${payment.formId}`)
  }
  // sms: a second submission while Pay is on its way changes nothing
  if (payment.status !== "card_entered") {
    return redirect(response, `/form/${payment.formId}`)
  }
  if ((form.get("code") ?? "") !== deps.smsCode) {
    deps.payments.fail(payment, "Wrong SMS code")
  } else {
    await deps.merchantApi.pay(payment)
  }
  deps.logger?.info(
    `form ${payment.merchantTransId} AGR_TRANS_ID=${payment.agrTransId ?? "-"} -> ${payment.status}${payment.failure ? ` (${payment.failure})` : ""}`
  )
  return sendHtml(response, 200, renderFormResultPage(payment, payment.vendorId))
}

/** The merchant's fields: checked as PaySys would (fields, VENDOR_ID, currency, SIGN_STRING). */
async function openForm(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  deps: FormRouteDeps
): Promise<void> {
  let fields: URLSearchParams
  if (request.method === "POST") {
    const raw = await readBodyOr413(request, response, deps.maxBodyBytes)
    if (raw === null) {
      return
    }
    fields = new URLSearchParams(raw)
  } else if (request.method === "GET") {
    fields = url.searchParams
  } else {
    response.setHeader("Allow", "GET, POST")
    return sendText(response, 405, "POST (or GET) the signed form fields")
  }
  const call = deps.calls.start("form.open")
  const refuse = (message: string) => {
    call.outcome = `refused: ${message}`
    deps.logger?.info(`form.open -> ${call.outcome}`)
    return sendHtml(response, 400, renderFormRefusedPage(message))
  }
  const parsed = formFieldsSchema.safeParse(Object.fromEntries(fields))
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return refuse(`${issue.path.join(".") || "fields"}: ${issue.message}`)
  }
  const received = parsed.data
  deps.calls.about(call, { partnerTransId: received.MERCHANT_TRANS_ID })
  if (received.VENDOR_ID !== deps.credentials.vendorId) {
    return refuse("VENDOR_ID: unknown vendor")
  }
  if (!FORM_CURRENCIES.has(received.MERCHANT_CURRENCY)) {
    return refuse(`MERCHANT_CURRENCY: must be one of ${[...FORM_CURRENCIES].join(", ")}`)
  }
  if (!isFormSignatureValid("form", deps.credentials.secretKey, received, received.SIGN_STRING)) {
    return refuse(
      "SIGN_STRING: does not match md5(SECRET_KEY + VENDOR_ID + MERCHANT_TRANS_ID + MERCHANT_TRANS_AMOUNT + MERCHANT_CURRENCY + SIGN_TIME)"
    )
  }
  const payment = deps.payments.open(received)
  call.outcome = `ok: form ${payment.formId}`
  deps.logger?.info(`form.open ${received.MERCHANT_TRANS_ID} -> form ${payment.formId}`)
  response.writeHead(303, { Location: `/form/${payment.formId}`, "Content-Length": 0, "Cache-Control": "no-store" })
  response.end()
}

/** Answers of the status API: 0 is documented; the other codes are the sandbox's choice (STATUS_API_PAID_ERROR). */
export const FORM_STATUS_ANSWERS = {
  PAID: FORM_ERRORS.SUCCESS,
  OTHER_VENDOR: FORM_ERRORS.VENDOR_NOT_FOUND,
  UNKNOWN: FORM_ERRORS.TRANSACTION_NOT_FOUND,
  CANCELLED: FORM_ERRORS.TRANSACTION_CANCELLED,
  NOT_COMPLETED: { ERROR: -20, ERROR_NOTE: "Payment is not completed" },
} as const

/**
 * POST /pay_api/payment_status {VENDOR_ID, AGR_TRANS_ID, PAYMENT_ID, SIGN_TIME, SIGN_STRING}:
 * 0 when paid; -1 bad signature; -8 malformed; -10 another vendor; -6 unknown; -9 cancelled;
 * -20 anything else (not paid yet, failed). Always HTTP 200 JSON.
 */
export async function handleStatusApi(
  request: IncomingMessage,
  response: ServerResponse,
  deps: FormRouteDeps
): Promise<void> {
  if (request.method !== "POST") {
    response.setHeader("Allow", "POST")
    return sendText(response, 405, "POST a JSON body {VENDOR_ID, AGR_TRANS_ID, PAYMENT_ID, SIGN_TIME, SIGN_STRING}")
  }
  const raw = await readBodyOr413(request, response, deps.maxBodyBytes)
  if (raw === null) {
    return
  }
  const call = deps.calls.start("form.payment_status")
  const fault = deps.faults?.take("form.payment_status", paymentAskedAbout(raw, deps)?.merchantTransId)
  if (fault) {
    call.outcome = `fault ${fault.kind}`
    deps.logger?.info(`form.payment_status -> ${call.outcome}`)
    return sendText(response, fault.status, fault.body)
  }
  const answer = statusAnswer(raw, request.headers["content-type"], deps)
  call.outcome = `ERROR ${answer.ERROR} ${answer.ERROR_NOTE}`
  call.error_code = answer.ERROR
  deps.logger?.info(`form.payment_status -> ${call.outcome}`)
  const text = JSON.stringify(answer)
  response.writeHead(200, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
  })
  response.end(text)
}

/** The payment a status request names by its AGR_TRANS_ID (JSON or form-encoded), for a fault about one payment. */
function paymentAskedAbout(raw: string, deps: FormRouteDeps) {
  let agrTransId: unknown
  try {
    agrTransId = (JSON.parse(raw) as { AGR_TRANS_ID?: unknown } | null)?.AGR_TRANS_ID
  } catch {
    agrTransId = new URLSearchParams(raw).get("AGR_TRANS_ID")
  }
  return agrTransId === undefined || agrTransId === null
    ? undefined
    : deps.payments.findByAgrTransId(String(agrTransId))
}

function statusAnswer(raw: string, contentType: string | undefined, deps: FormRouteDeps) {
  const parsed = parseMerchantCallback("status", raw, { secretKey: deps.credentials.secretKey, contentType })
  if (!parsed.ok) {
    return parsed.answer
  }
  const { VENDOR_ID, AGR_TRANS_ID, PAYMENT_ID } = parsed.request
  if (VENDOR_ID !== deps.credentials.vendorId) {
    return FORM_STATUS_ANSWERS.OTHER_VENDOR
  }
  const payment = deps.payments.findByAgrTransId(AGR_TRANS_ID)
  if (!payment || String(payment.paymentId) !== PAYMENT_ID) {
    return FORM_STATUS_ANSWERS.UNKNOWN
  }
  if (payment.status === "paid") {
    return FORM_STATUS_ANSWERS.PAID
  }
  if (payment.status === "cancelled" || payment.status === "cancelling") {
    return FORM_STATUS_ANSWERS.CANCELLED
  }
  return FORM_STATUS_ANSWERS.NOT_COMPLETED
}
