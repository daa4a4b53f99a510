import { z } from "zod"
import { FISCALIZATION_TYPES } from "../../../src/paysys-form/schemas"
import { ControlError, parse, Route } from "./control-route"
import type { ControlDeps } from "./control-route"
import { FormPayment } from "./form-state"

/*
 * The control API's routes for the payment form (under /__sandbox/form): look at the form's
 * payments, and make PaySys call the merchant on demand.
 *
 *   GET  /form/payments[?merchant_trans_id=]  every form payment
 *   GET  /form/payments/:id                   one, by its form id or AGR_TRANS_ID, with its calls
 *   POST /form/cancel        {agr_trans_id}            Cancel; answered 0 -> cancelled, Notify 3 queued
 *   POST /form/notify        {agr_trans_id, status?}   Notify now, whatever the behaviour (status
 *                                                      overrides: a forged Notify; nothing changes)
 *   POST /form/info          {merchant_trans_id}
 *   POST /form/statement     {from?, to?} (ms; the last 31 days by default), checked line by line
 *   POST /form/fiscalization {agr_trans_id, type?: PAYMENT|CANCEL|<anything, to test -11>}
 * Each answers {delivery, answer, problems?, payment?}: what was sent, what the merchant answered.
 */

const agrTransId = z
  .union([z.string().regex(/^\d+$/, "must be digits"), z.number().int().nonnegative()])
  .transform(String)

const cancelSchema = z.strictObject({ agr_trans_id: agrTransId })
const notifySchema = z.strictObject({ agr_trans_id: agrTransId, status: z.number().int().optional() })
const infoSchema = z.strictObject({ merchant_trans_id: z.string().min(1) })
const statementSchema = z.strictObject({
  from: z.number().int().nonnegative().optional(),
  to: z.number().int().nonnegative().optional(),
})
const fiscalizationSchema = z.strictObject({
  agr_trans_id: agrTransId,
  type: z.string().min(1).default(FISCALIZATION_TYPES[0]),
})

const MONTH_MS = 31 * 24 * 60 * 60 * 1000

function requirePayment(deps: ControlDeps, agr: string, needsPay = true): FormPayment {
  const payment = deps.formPayments.findByAgrTransId(agr)
  if (!payment) {
    throw new ControlError(404, `no form payment with AGR_TRANS_ID ${agr}`, "agr_trans_id")
  }
  if (needsPay && payment.vendorTransId === null) {
    throw new ControlError(409, "the merchant never accepted Pay for this payment (no VENDOR_TRANS_ID)", "agr_trans_id")
  }
  return payment
}

export function serializeFormPayment(deps: ControlDeps, p: FormPayment) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())
  return {
    form_id: p.formId,
    status: p.status,
    vendor_id: p.vendorId,
    merchant_trans_id: p.merchantTransId,
    amount: p.amount,
    currency: p.currency,
    note: p.note,
    return_url: p.returnUrl,
    environment: p.environment,
    card: p.card,
    agr_trans_id: p.agrTransId,
    payment_id: p.paymentId,
    payment_name: p.paymentName,
    vendor_trans_id: p.vendorTransId,
    failure: p.failure,
    created_at: iso(p.createdAt),
    paid_at: iso(p.paidAt),
    cancelled_at: iso(p.cancelledAt),
    history: p.history.map((e) => ({ ...e, at: iso(e.at) })),
    calls: p.agrTransId ? deps.notifier.list({ agrTransId: p.agrTransId }) : [],
  }
}

export const FORM_CONTROL_ROUTES: Route[] = [
  {
    method: "GET",
    pattern: /^\/form\/payments$/,
    handle: (deps, _m, _b, query) => ({
      payments: deps.formPayments
        .list({ merchantTransId: query.get("merchant_trans_id") ?? undefined })
        .map((p) => serializeFormPayment(deps, p)),
    }),
  },
  {
    method: "GET",
    pattern: /^\/form\/payments\/([^/]+)$/,
    handle: (deps, [id]) => {
      const payment = deps.formPayments.find(id) ?? deps.formPayments.findByAgrTransId(id)
      if (!payment) {
        throw new ControlError(404, `no form payment "${id}" (form id or AGR_TRANS_ID)`)
      }
      return { payment: serializeFormPayment(deps, payment) }
    },
  },
  {
    method: "POST",
    pattern: /^\/form\/cancel$/,
    handle: async (deps, _m, body) => {
      const payment = requirePayment(deps, parse(cancelSchema, await body()).agr_trans_id)
      const result = await deps.formMerchantApi.cancel(payment)
      return { ...result, payment: serializeFormPayment(deps, payment) }
    },
  },
  {
    method: "POST",
    pattern: /^\/form\/notify$/,
    handle: async (deps, _m, body) => {
      const input = parse(notifySchema, await body())
      const payment = requirePayment(deps, input.agr_trans_id)
      const status = input.status ?? (payment.status === "cancelled" ? 3 : 2)
      return deps.formMerchantApi.sendNotify(payment, status)
    },
  },
  {
    method: "POST",
    pattern: /^\/form\/info$/,
    handle: async (deps, _m, body) => deps.formMerchantApi.info(parse(infoSchema, await body()).merchant_trans_id),
  },
  {
    method: "POST",
    pattern: /^\/form\/statement$/,
    handle: async (deps, _m, body) => {
      const input = parse(statementSchema, await body())
      const to = input.to ?? deps.formPayments.clock.now()
      return deps.formMerchantApi.statement(input.from ?? to - MONTH_MS, to)
    },
  },
  {
    method: "POST",
    pattern: /^\/form\/fiscalization$/,
    handle: async (deps, _m, body) => {
      const input = parse(fiscalizationSchema, await body())
      const payment = requirePayment(deps, input.agr_trans_id, false)
      return deps.formMerchantApi.fiscalization(payment, input.type)
    },
  },
]
