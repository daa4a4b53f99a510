import { MathBN } from "@medusajs/framework/utils"
import { PaysysStatus } from "../../../paysys"
import type { Attempt, BankData, HistoryEntry, RefundRow } from "../../../modules/paysys/ledger-types"
import type { PaysysSessionData } from "../../../providers/paysys/session-data"
import type { GraphOrder, GraphPayment } from "../../../workflows/paysys-payment-of-order"
import { attentionItems } from "./paysys-order-panel-attention"
import { formDetails } from "./paysys-order-panel-form"
import { PanelNotification, panelHistory, refundsSentOf } from "./paysys-order-panel-history"
import type { PaysysOrderPanel } from "./paysys-order-panel-types"
import { iso, money, toMajor, toMinor } from "./paysys-order-panel-values"
import { statusLabel } from "./paysys-status-label"

/** What the order panel read of the order's PaySys payment, and the keys it read by. */
export type PanelReading = {
  order: GraphOrder
  payment: GraphPayment
  /** the payment's session data, null when it holds no PaySys transaction */
  data: PaysysSessionData | null
  /** the ledger's attempts of the order's payment collections */
  attempts: Attempt[]
  /** the attempt the payment holds */
  own: Attempt | undefined
  partnerTransIds: string[]
  notifications: PanelNotification[]
  /** the ledger's refunds of the payment's attempt */
  refunds: RefundRow[]
}

/** The order panel from what was read: the ledger's word first, the session data where it has none. */
export function shapePaysysOrderPanel({
  order,
  payment,
  data,
  attempts,
  own,
  partnerTransIds,
  notifications,
  refunds,
}: PanelReading): PaysysOrderPanel {
  const currency = (data?.currency ?? payment.currency_code).toLowerCase()
  const paysysStatus = own?.paysys_status ?? data?.paysys_status ?? null
  const reversal = refunds.find((row) => row.kind === "cancel" && row.state === "accepted")
  const canceledAt = reversal
    ? reversal.created_at.toISOString()
    : paysysStatus === PaysysStatus.CANCELED
      ? iso(own?.updated_at)
      : null
  const refundsSent = refundsSentOf(refunds)
  const refundedMinor = MathBN.add(0, ...refundsSent.map((refund) => refund.amount)).toFixed(0)
  const amountMinor = data?.amount ?? toMinor(payment.amount, currency)
  const history = panelHistory({ data, payment, notifications, refundsSent, canceledAt, amountMinor, currency })

  return {
    order_id: order.id,
    payment_id: payment.id,
    provider_id: payment.provider_id,
    payment_session_id: payment.payment_session_id ?? data?.session_id ?? null,
    partner_trans_id: data?.partner_trans_id ?? "",
    attempt: data?.attempt ?? 0,
    transaction_id: data?.transaction_id ?? null,
    paysys_status: paysysStatus,
    status: statusLabel(paysysStatus, amountMinor, refundedMinor),
    amount: amountMinor,
    amount_major: toMajor(amountMinor, currency),
    currency,
    refunded_amount: refundedMinor,
    refunded_amount_major: toMajor(refundedMinor, currency),
    card_masked: data?.card_masked ?? null,
    rrn: data?.rrn ?? null,
    approval_code: data?.approval_code ?? null,
    three_ds: data?.three_ds ?? null,
    // PaySys's own reason, from the ledger: the session data holds only what the storefront may see
    error: (own?.bank as BankData | null | undefined)?.error ?? null,
    submitted_at: data?.submitted_at ?? null,
    paid_at: data?.paid_at ?? null,
    captured_at: iso(payment.captured_at),
    canceled_at: canceledAt ?? iso(payment.canceled_at),
    checked_at: lastAnsweredAt(own?.history) ?? data?.checked_at ?? null,
    created_at: iso(payment.created_at),
    partner_trans_ids: partnerTransIds,
    attempts: attempts.map((a) => ({
      partner_trans_id: a.partner_trans_id,
      state: a.state,
      outcome: a.outcome,
      paysys_status: a.paysys_status,
      ...money(a.amount, a.currency),
      created_at: iso(a.created_at)!,
    })),
    attention: attentionItems(own ?? null, refunds, attempts, notifications, currency),
    form: own?.kind === "form" ? formDetails(own) : null,
    history,
  }
}

/** When PaySys last answered check_payment about the attempt (a failed ask is not an answer). */
function lastAnsweredAt(history: unknown): string | null {
  const entries = Array.isArray(history) ? (history as HistoryEntry[]) : []
  return entries.filter((entry) => entry.event.startsWith("check_payment")).at(-1)?.at ?? null
}
