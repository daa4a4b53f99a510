import type { PaysysAttentionItem } from "./paysys-panel"

/** The values an attention item's message names: its amount, the id it concerns, and why. */
export function attentionMessageValues(item: PaysysAttentionItem): { amount: string; id: string; reason: string } {
  return {
    amount: "amount_major" in item ? `${item.amount_major} ${item.currency.toUpperCase()}` : "",
    id: "partner_trans_id" in item ? item.partner_trans_id : "notification_id" in item ? item.notification_id : "",
    reason: "reason" in item ? (item.reason ?? "") : "",
  }
}
