import type { RefundRow } from "../../../modules/paysys/ledger-types"
import type { PaysysSessionData } from "../../../providers/paysys/session-data"
import { GraphPayment, timeOf } from "../../../workflows/paysys-payment-of-order"
import type { PaysysHistoryEntry } from "./paysys-order-panel-types"
import { statusLabel } from "./paysys-status-label"
import { iso, majorMoney, money } from "./paysys-order-panel-values"

/** A notification PaySys sent about one of the order's attempts, as recorded. */
export type PanelNotification = {
  id: string
  partner_trans_id: string | null
  reported_status: string
  amount: string | null
  currency: string | null
  deliveries: number
  processed_at: Date | string | null
  outcome: string | null
  last_error: string | null
  parked_at: Date | string | null
  created_at: Date | string
}

/** A refund or reversal PaySys made, as the panel tells it. */
export type RefundSent = { key: string; amount: string; via: "refund" | "cancel" | "paysys"; at: string }

/** The ledger's refunds PaySys accepted. */
export function refundsSentOf(rows: RefundRow[]): RefundSent[] {
  return rows
    .filter((row) => row.state === "accepted")
    .map((row) => ({
      // the Medusa refund recording it, where there is one
      key: row.booked_as ?? row.key,
      amount: row.amount,
      via: (row.origin === "external" ? "paysys" : row.kind) as "refund" | "cancel" | "paysys",
      at: row.created_at.toISOString(),
    }))
}

export type HistoryFacts = {
  data: PaysysSessionData | null
  payment: GraphPayment
  notifications: PanelNotification[]
  refundsSent: RefundSent[]
  /** when PaySys reversed the payment, null when it did not */
  canceledAt: string | null
  amountMinor: string
  currency: string
}

const TYPE_ORDER: PaysysHistoryEntry["type"][] = ["notification", "paid", "captured", "refund", "cancellation"]

/** The payment's life, oldest first: what PaySys said and did, and what Medusa recorded. */
export function panelHistory({
  data,
  payment,
  notifications,
  refundsSent,
  canceledAt,
  amountMinor,
  currency,
}: HistoryFacts): PaysysHistoryEntry[] {
  const history: PaysysHistoryEntry[] = []
  if (data?.paid_at) {
    history.push({
      type: "paid",
      at: data.paid_at,
      partner_trans_id: data.partner_trans_id,
      ...money(amountMinor, currency),
    })
  }
  for (const capture of payment.captures ?? []) {
    history.push({
      type: "captured",
      at: iso(capture.created_at)!,
      capture_id: capture.id,
      ...majorMoney(capture.amount, currency),
    })
  }
  for (const notification of notifications) {
    const reported = Number(notification.reported_status)
    history.push({
      type: "notification",
      at: iso(notification.created_at)!,
      notification_id: notification.id,
      partner_trans_id: notification.partner_trans_id,
      reported_status: notification.reported_status,
      status: Number.isFinite(reported) ? statusLabel(reported, null, null) : "unknown",
      deliveries: notification.deliveries,
      processed_at: iso(notification.processed_at),
      outcome: notification.outcome,
      last_error: notification.last_error,
      ...money(notification.amount, (notification.currency ?? currency).toLowerCase()),
    })
  }
  const medusaRefunds = payment.refunds ?? []
  for (const refund of medusaRefunds) {
    const sent = refundsSent.find((r) => r.key === refund.id)
    history.push({
      type: "refund",
      at: iso(refund.created_at)!,
      refund_id: refund.id,
      via: sent?.via ?? null,
      note: refund.note ?? null,
      reason: refund.refund_reason?.label ?? null,
      ...(sent ? money(sent.amount, currency) : majorMoney(refund.amount, currency)),
    })
  }
  for (const sent of refundsSent.filter((r) => !medusaRefunds.some((refund) => refund.id === r.key))) {
    history.push({
      type: "refund",
      at: sent.at,
      refund_id: null,
      via: sent.via,
      note: null,
      reason: null,
      ...money(sent.amount, currency),
    })
  }
  const reversedThroughRefund = refundsSent.some((r) => r.via === "cancel")
  if (canceledAt && !reversedThroughRefund) {
    history.push({ type: "cancellation", at: canceledAt, source: "paysys", ...money(amountMinor, currency) })
  }
  if (payment.canceled_at) {
    history.push({
      type: "cancellation",
      at: iso(payment.canceled_at)!,
      source: "medusa",
      ...money(amountMinor, currency),
    })
  }
  history.sort((a, b) => timeOf(a.at) - timeOf(b.at) || TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type))
  return history
}
