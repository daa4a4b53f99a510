/**
 * Every error the sandbox answers with, in one table.
 *
 * PaySys documents only one code (-32313 "Transaction status is canceled") and the JSON-RPC
 * convention of negative integers; the partner.notify ERROR example carries -34000. Everything
 * else here is the sandbox's own choice, kept in this one place so it can be changed without a hunt.
 * Messages never contain card data: at most they name a field.
 *
 * `resultCode` is the bank's RESULT_CODE shown in check_payment's `data` for a failed payment
 * (null when no authorization was attempted, e.g. 3-D Secure failed).
 */
export const SANDBOX_ERRORS = {
  // ---- transport / envelope (JSON-RPC conventions) ----
  PARSE_ERROR: { code: -32700, message: "Parse error: the body is not JSON" },
  INVALID_REQUEST: { code: -32600, message: "Invalid request" },
  METHOD_NOT_FOUND: { code: -32601, message: "Method not found" },
  INVALID_PARAMS: { code: -32602, message: "Invalid params" },
  INTERNAL_ERROR: { code: -32603, message: "Internal error" },

  // ---- the Auth header ----
  AUTH_MALFORMED: {
    code: -32501,
    message: "Authorization failed: the Auth header is missing or not <service_id>-<sha1>-<timestamp_ms>",
  },
  AUTH_UNKNOWN_SERVICE: { code: -32502, message: "Authorization failed: unknown service id" },
  AUTH_BAD_HASH: { code: -32503, message: "Authorization failed: wrong hash (sha1 of secret_key + timestamp)" },
  AUTH_STALE_TIMESTAMP: { code: -32504, message: "Authorization failed: timestamp is too far from the server time" },

  // ---- merchant-side request errors ----
  VENDOR_MISMATCH: { code: -31001, message: "Unknown vendor_id for this service" },
  AMOUNT_OUT_OF_LIMITS: { code: -31002, message: "amount: outside the currency's limits" },
  DUPLICATE_PARTNER_TRANS_ID: { code: -31003, message: "A transaction with this partner_trans_id already exists" },
  TRANSACTION_NOT_FOUND: { code: -31004, message: "Transaction not found" },

  // ---- card checks ----
  CARD_NUMBER_INVALID: { code: -31101, message: "card_number: invalid card number" },
  CARD_BRAND_UNSUPPORTED: { code: -31102, message: "card_number: only Visa, MasterCard and MIR cards are accepted" },
  CARD_EXPIRED: { code: -31103, message: "card_expire: the card has expired" },
  CARD_NOT_FOUND: { code: -31201, message: "Card not found" },
  CARD_TOKEN_MISMATCH: { code: -31202, message: "Card token is missing or does not match the card" },
  CARD_NOT_ACTIVE: { code: -31203, message: "Card registration is not completed" },

  // ---- cancel / refund ----
  TRANSACTION_CANCELED: { code: -32313, message: "Transaction status is canceled" }, // documented
  CANCEL_NOT_COMPLETED: { code: -32314, message: "Only a completed payment can be canceled" },
  CANCEL_WINDOW_CLOSED: { code: -32315, message: "A payment can be canceled only within 7 days" },
  CANCEL_AFTER_REFUND: { code: -32316, message: "A refunded payment cannot be canceled" },
  REFUND_NOT_COMPLETED: { code: -32317, message: "Only a completed payment can be refunded" },
  REFUND_CURRENCY_MISMATCH: { code: -32318, message: "currency: does not match the payment's currency" },
  REFUND_EXCEEDS_AMOUNT: { code: -32319, message: "amount: the refunds would exceed the payment amount" },

  // ---- payment outcomes (err_obj of a payment in status -1; pay_by_id's error) ----
  DECLINED_BY_ISSUER: { code: -33005, message: "Declined by the card issuer", resultCode: "100" },
  INSUFFICIENT_FUNDS: { code: -33051, message: "Insufficient funds", resultCode: "116" },
  THREE_DS_FAILED: { code: -33101, message: "3-D Secure authentication failed", resultCode: null },
  THREE_DS_WRONG_CODE: { code: -33102, message: "wrong 3-D Secure code", resultCode: null },
  THREE_DS_CANCELLED: { code: -33103, message: "cancelled by cardholder", resultCode: null },

  // ---- partner.notify ERROR (documented example code) ----
  CARD_REGISTRATION_FAILED: { code: -34000, message: "Card registration failed" },
} as const

export type SandboxErrorKey = keyof typeof SANDBOX_ERRORS

export type PaysysErrorBody = { code: number; message: string }

/** Thrown by the sandbox's state and methods; the gateway turns it into `error: {code, message}`. */
export class SandboxRpcError extends Error {
  readonly name = "SandboxRpcError"
  readonly code: number
  constructor(
    readonly key: SandboxErrorKey,
    code: number,
    message: string
  ) {
    super(message)
    this.code = code
  }

  toBody(): PaysysErrorBody {
    return { code: this.code, message: this.message }
  }
}

/** The error of the table, with an optional detail appended to its message. */
export function sandboxError(key: SandboxErrorKey, detail?: string): SandboxRpcError {
  const { code, message } = SANDBOX_ERRORS[key]
  return new SandboxRpcError(key, code, detail ? `${message}: ${detail}` : message)
}

/** `{code, message}` of a table entry, as err_obj and partner.notify carry it. */
export function errorBody(key: SandboxErrorKey): PaysysErrorBody {
  const { code, message } = SANDBOX_ERRORS[key]
  return { code, message }
}
