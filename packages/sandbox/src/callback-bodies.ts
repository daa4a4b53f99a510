import { randomUUID } from "node:crypto"
import { PAYSYS_CURRENCIES } from "../../../src/paysys/currencies"
import { formatPaysysDate } from "./clock"
import { SavedCard, Transaction } from "./state"

/*
 * The two callbacks PaySys sends, built exactly as the documentation shows them.
 * (Their reading side lives in src/paysys/notifications.ts.)
 */

/** Body of the transaction status notification (plain JSON, not JSON-RPC). */
export type StatusNotificationBody = {
  id: string
  account: string
  amount: number
  card_masked: string
  currency: number
  currency_name: string
  status: number
  date: string
}

/** Body of the card registration result (JSON-RPC `partner.notify`). */
export type CardNotifyBody = {
  id: string
  method: "partner.notify"
  params:
    | { stat: "SUCCESS"; id: string; token: string; pan: string }
    | { stat: "ERROR"; id: string; code: string; message: string }
}

/**
 * `amount` is in minor units (for status 6: the refund's amount); `date` is the transaction's
 * creation date, as the documentation describes the field.
 */
export function statusNotificationBody(
  transaction: Transaction,
  amount: string,
  status: number = transaction.status
): StatusNotificationBody {
  return {
    id: transaction.transactionId,
    account: transaction.partnerTransId,
    amount: Number(amount),
    card_masked: transaction.card.masked,
    currency: PAYSYS_CURRENCIES[transaction.currency].numericCode,
    currency_name: transaction.currency,
    status,
    date: formatPaysysDate(transaction.createdAt),
  }
}

/** SUCCESS with the token for an active card; ERROR with code and message otherwise. */
export function cardNotifyBody(
  card: SavedCard,
  stat: "SUCCESS" | "ERROR" = card.token ? "SUCCESS" : "ERROR"
): CardNotifyBody {
  if (stat === "SUCCESS" && card.token) {
    return {
      id: randomUUID(),
      method: "partner.notify",
      params: { stat: "SUCCESS", id: card.cardId, token: card.token, pan: card.card.masked },
    }
  }
  const error = card.error ?? { code: -34000, message: "Card registration failed" }
  return {
    id: randomUUID(),
    method: "partner.notify",
    // the documented example sends the code as a string: "-34000"
    params: { stat: "ERROR", id: card.cardId, code: String(error.code), message: error.message },
  }
}
