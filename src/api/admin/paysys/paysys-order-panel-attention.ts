import { CANCEL_CONTRADICTED_EVENT, CONTRADICTION_CHECKED_EVENT } from "../../../modules/paysys/ledger-types"
import type { HistoryEntry, RefundRow } from "../../../modules/paysys/ledger-types"
import type { PaysysAttentionItem } from "./paysys-order-panel-types"
import { money } from "./paysys-order-panel-values"

/** What the merchant has to look at: the plugin cannot settle these from PaySys's word alone. */
export function attentionItems(
  own: { outcome: string | null } | null,
  refunds: RefundRow[],
  attempts: {
    partner_trans_id: string
    state: string
    outcome: string | null
    last_error: string | null
    history: unknown
  }[],
  notifications: { id: string; parked_at: Date | string | null; last_error: string | null }[],
  currency: string
): PaysysAttentionItem[] {
  const items: PaysysAttentionItem[] = []
  if (own?.outcome === "refund_unexplained") {
    items.push({ type: "refund_unexplained" })
  }
  for (const row of refunds) {
    if (row.state === "accepted" && !row.booked_as && row.origin !== "reconciliation") {
      items.push({ type: "refund_unbooked", refund_key: row.key, ...money(row.amount, currency) })
    }
    if (row.state === "unknown") {
      items.push({ type: "refund_unknown", refund_id: row.id, refund_key: row.key, ...money(row.amount, currency) })
    }
  }
  for (const attempt of attempts.filter((a) => a.state === "attention")) {
    items.push({
      type: "attempt_parked",
      partner_trans_id: attempt.partner_trans_id,
      reason: attempt.outcome ?? attempt.last_error,
    })
  }
  for (const attempt of attempts) {
    const history = (Array.isArray(attempt.history) ? attempt.history : []) as HistoryEntry[]
    // those the merchant checked in the PaySys cabinet are done
    const checked = history.map((h) => h.event).lastIndexOf(CONTRADICTION_CHECKED_EVENT)
    const unchecked = history.slice(checked + 1)
    for (const contradicted of unchecked.filter((h) => h.event === CANCEL_CONTRADICTED_EVENT)) {
      items.push({
        type: "cancel_contradicted",
        partner_trans_id: attempt.partner_trans_id,
        at: contradicted.at,
        reason: contradicted.detail ?? null,
      })
    }
  }
  for (const notification of notifications.filter((n) => n.parked_at)) {
    items.push({ type: "notification_parked", notification_id: notification.id, reason: notification.last_error })
  }
  return items
}
