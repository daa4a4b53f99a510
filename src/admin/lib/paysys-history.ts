import type { useTranslation } from "react-i18next"
import { formatMoney, type PaysysHistoryEntry } from "./paysys-panel"

type T = ReturnType<typeof useTranslation>["t"]

/** The history entry's headline: what happened. */
export function historyTitle(entry: PaysysHistoryEntry, t: T): string {
  switch (entry.type) {
    case "paid":
      return t("paysys.history.paid")
    case "captured":
      return t("paysys.history.captured")
    case "notification":
      return t("paysys.history.notification", {
        status: `${t(`paysys.status.${entry.status}`)} (${entry.reported_status})`,
      })
    case "refund":
      return entry.refund_id === null
        ? t("paysys.history.refundUnrecorded")
        : entry.via === "cancel"
          ? t("paysys.history.refundByCancel")
          : entry.via === "paysys"
            ? t("paysys.history.refundAtPaysys")
            : t("paysys.history.refund")
    case "cancellation":
      return entry.source === "medusa" ? t("paysys.history.medusaCancellation") : t("paysys.history.cancellation")
  }
}

/** The lines under the headline: the amount, then what the entry's kind has to say. */
export function historyDetails(entry: PaysysHistoryEntry, t: T, locale: string | undefined): string[] {
  const lines: string[] = []
  const amount = formatMoney(entry.amount_major, entry.currency, locale)
  if (amount && entry.type !== "cancellation") {
    lines.push(amount)
  }
  if (entry.type === "notification") {
    const facts = [
      entry.partner_trans_id,
      entry.processed_at
        ? entry.outcome
          ? t(`paysys.outcome.${entry.outcome}`, { defaultValue: entry.outcome })
          : null
        : t("paysys.history.unprocessed"),
      entry.deliveries > 1 ? t("paysys.history.deliveries", { count: entry.deliveries }) : null,
    ]
    lines.push(facts.filter(Boolean).join(" · "))
    if (entry.last_error && !entry.processed_at) {
      lines.push(t("paysys.history.lastError", { error: entry.last_error }))
    }
  }
  if (entry.type === "refund") {
    if (entry.reason) {
      lines.push(entry.reason)
    }
    if (entry.note) {
      lines.push(t("paysys.history.note", { note: entry.note }))
    }
  }
  return lines
}

/** The timeline dot's color: green money in, red a failure, orange waiting, blue other news, grey the rest. */
export function historyDotColor(entry: PaysysHistoryEntry): string {
  switch (entry.type) {
    case "paid":
    case "captured":
      return "bg-ui-tag-green-icon"
    case "notification":
      return entry.status === "failed"
        ? "bg-ui-tag-red-icon"
        : entry.status === "waiting"
          ? "bg-ui-tag-orange-icon"
          : "bg-ui-tag-blue-icon"
    default:
      return "bg-ui-tag-neutral-icon"
  }
}
