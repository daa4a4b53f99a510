import BigNumber from "bignumber.js"
import { IncomingHttpHeaders } from "node:http"
import { z } from "zod"
import { redactCardNumbers } from "../../../src/paysys/card-data"
import { fromMinorUnits, PAYSYS_CURRENCIES } from "../../../src/paysys/currencies"
import {
  cancelPaymentParams,
  cardRegistrationParams,
  checkPaymentParams,
  payByIdParams,
  preparePaymentParams,
  refundPaymentParams,
  removeCardTokenParams,
} from "../../../src/paysys/schemas"
import { isPaysysErrorStatus } from "../../../src/paysys/statuses"
import { sandboxError } from "./errors"
import { headerValue } from "./http-utils"
import { PAYMENT_SYSTEM_IDS, SandboxState, Transaction } from "./state"

/*
 * The documented gateway methods: validate the params with the shared schemas, run the
 * operation on the state, and shape the result exactly as the documentation's examples
 * (strings where they show strings).
 */

export const GATEWAY_METHODS = [
  "paysys.prepare_payment",
  "paysys.check_payment",
  "mir.card_registration",
  "mir.remove_card_token",
  "paysys.pay_by_id",
  "paysys.cancel_payment",
  "paysys.refund_payment",
] as const

export type GatewayMethod = (typeof GATEWAY_METHODS)[number]

export function isGatewayMethod(method: string): method is GatewayMethod {
  return (GATEWAY_METHODS as readonly string[]).includes(method)
}

export type MethodContext = { state: SandboxState; headers: IncomingHttpHeaders }

export type MethodOutcome = {
  result: unknown
  /** for the call log: what the call was about, and how it went */
  partnerTransId?: string
  cardId?: string
  summary: string
}

type Handler = (params: unknown, context: MethodContext) => MethodOutcome

const HANDLERS: Record<GatewayMethod, Handler> = {
  "paysys.prepare_payment": (raw, { state }) => {
    const params = validate(preparePaymentParams, raw)
    const transaction = state.preparePayment(params)
    return {
      result: { transaction_id: transaction.transactionId, confirm_url: transaction.threeDs?.confirmUrl },
      partnerTransId: transaction.partnerTransId,
      summary: `ok: transaction ${transaction.transactionId}, status ${transaction.status}`,
    }
  },

  "paysys.check_payment": (raw, { state }) => {
    const params = validate(checkPaymentParams, raw)
    const transaction = state.checkPayment(params.partner_trans_id)
    return {
      result: paymentStatusResult(transaction),
      partnerTransId: transaction.partnerTransId,
      summary: `ok: status ${transaction.status}`,
    }
  },

  "mir.card_registration": (raw, { state }) => {
    const params = validate(cardRegistrationParams, raw)
    const card = state.registerCard(params)
    return {
      result: { card_id: card.cardId, confirm_url: card.threeDs.confirmUrl },
      cardId: card.cardId,
      summary: `ok: card ${card.cardId} pending 3-D Secure`,
    }
  },

  "mir.remove_card_token": (raw, { state }) => {
    const params = validate(removeCardTokenParams, raw)
    const card = state.removeCardToken(params.card_id, params.card_token)
    return { result: { pan: card.card.masked }, cardId: card.cardId, summary: "ok: card removed" }
  },

  "paysys.pay_by_id": (raw, { state, headers }) => {
    const params = validate(payByIdParams, raw)
    const transaction = state.payById(params, headerValue(headers["card-token"]))
    return {
      result: {
        details: {
          id: Number(transaction.rrn),
          masked_card_number: transaction.card.masked,
          transaction_id: transaction.transactionId,
          bank_transaction_id: transaction.bankTransactionId,
          amount: decimalCommaAmount(transaction),
          merchantId: null,
          terminalId: null,
          date: Math.floor(transaction.createdAt / 1000),
        },
        payment_id: PAYMENT_SYSTEM_IDS[transaction.card.brand],
      },
      partnerTransId: transaction.partnerTransId,
      cardId: transaction.cardId ?? undefined,
      summary: `ok: transaction ${transaction.transactionId}, status ${transaction.status}`,
    }
  },

  "paysys.cancel_payment": (raw, { state }) => {
    const params = validate(cancelPaymentParams, raw)
    const transaction = state.cancelPayment(params.partner_trans_id)
    return {
      result: operationResult(transaction),
      partnerTransId: transaction.partnerTransId,
      summary: "ok: status 3",
    }
  },

  "paysys.refund_payment": (raw, { state }) => {
    const params = validate(refundPaymentParams, raw)
    const transaction = state.refundPayment(params.partner_trans_id, params.amount, params.currency)
    return {
      result: operationResult(transaction),
      partnerTransId: transaction.partnerTransId,
      summary: `ok: refunded ${params.amount}, status 6`,
    }
  },
}

export function runMethod(method: GatewayMethod, params: unknown, context: MethodContext): MethodOutcome {
  return HANDLERS[method](params, context)
}

/** check_payment's result: `data` is the bank's answer, `err_obj` only for a negative status. */
export function paymentStatusResult(transaction: Transaction) {
  return {
    transaction_id: transaction.transactionId,
    partner_trans_id: transaction.partnerTransId,
    status: String(transaction.status),
    data: bankData(transaction),
    err_obj: isPaysysErrorStatus(transaction.status) ? transaction.errObj : null,
  }
}

/** What Visa/MasterCard/MIR said about the payment, as check_payment shows it. */
export function bankData(transaction: Transaction) {
  const pending = transaction.status === 0 || transaction.status === 1
  return {
    RESULT: pending ? "PENDING" : isPaysysErrorStatus(transaction.status) ? "FAILED" : "OK",
    RESULT_CODE: transaction.resultCode,
    "3DSECURE": transaction.threeDsResult,
    RRN: transaction.rrn,
    APPROVAL_CODE: transaction.approvalCode,
    CARD_NUMBER: transaction.card.masked,
  }
}

/** cancel_payment's and refund_payment's result. */
function operationResult(transaction: Transaction) {
  return {
    transaction_id: transaction.transactionId,
    partner_trans_id: transaction.partnerTransId,
    status: String(transaction.status),
    data: {},
  }
}

/** "100,00": major units with two decimals and a decimal comma, as pay_by_id answers. */
function decimalCommaAmount(transaction: Transaction): string {
  const decimals = Math.round(Math.log10(PAYSYS_CURRENCIES[transaction.currency].minorPerMajor))
  return new BigNumber(fromMinorUnits(transaction.amount, transaction.currency)).toFixed(decimals).replace(".", ",")
}

/**
 * Parses params with a shared schema; the error names every wrong field and the rule,
 * never a value (values may be card data).
 */
function validate<S extends z.ZodTypeAny>(schema: S, params: unknown): z.output<S> {
  const parsed = schema.safeParse(params)
  if (parsed.success) {
    return parsed.data
  }
  const problems = parsed.error.issues.slice(0, 5).map((issue) => {
    const field = issue.path.join(".") || "params"
    return `${field}: ${redactCardNumbers(issue.message)}`
  })
  throw sandboxError("INVALID_PARAMS", problems.join("; "))
}
