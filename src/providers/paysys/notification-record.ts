import { createHash } from "node:crypto"
import { CardRegistrationNotification, currencyFromNumericCode, TransactionStatusNotification } from "../../paysys"
import type { NewNotification } from "../../modules/paysys"

export type PaysysCallback = TransactionStatusNotification | CardRegistrationNotification

export function isCardRegistration(callback: PaysysCallback): callback is CardRegistrationNotification {
  return "method" in callback && callback.method === "partner.notify"
}

/**
 * What is kept of a callback: what identifies it and what it claims. Never the card token
 * (the saved-cards flow stores it encrypted) and never more of the card than the masked PAN
 * (the callback's schemas mask every text PaySys sends, its error message included).
 */
export function toNotificationRecord(callback: PaysysCallback): NewNotification {
  if (isCardRegistration(callback)) {
    const { params } = callback
    return {
      kind: "card_registration",
      dedupe_key: dedupeKey(["card", params.id, params.stat]),
      card_id: params.id,
      reported_status: params.stat,
      card_masked: params.stat === "SUCCESS" ? params.pan : null,
      error_code: params.stat === "ERROR" ? params.code : null,
      error_message: params.stat === "ERROR" ? params.message : null,
    }
  }
  return {
    kind: "payment_status",
    // a repeated delivery carries the same values; two refunds of one amount on one
    // payment look alike too, which is harmless: processing reconciles from check_payment
    dedupe_key: dedupeKey(["payment", callback.id, callback.account, callback.status, callback.amount, callback.date]),
    partner_trans_id: callback.account,
    transaction_id: callback.id,
    reported_status: String(callback.status),
    amount: callback.amount,
    currency: currencyFromNumericCode(callback.currency) ?? callback.currency_name ?? String(callback.currency),
    card_masked: callback.card_masked ?? null,
    paysys_date: callback.date ?? null,
  }
}

function dedupeKey(parts: unknown[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex")
}
