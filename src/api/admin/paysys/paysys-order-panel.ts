import { MedusaContainer } from "@medusajs/framework/types"
import { MathBN, MedusaError } from "@medusajs/framework/utils"
import { PAYSYS_MODULE, PaysysModuleService } from "../../../modules/paysys"
import { isPaysysCurrency, PaysysStatus } from "../../../paysys"
import { fromPaysysAmount, toPaysysAmount } from "../../../modules/paysys/money"
import { CANCEL_CONTRADICTED_EVENT, CONTRADICTION_CHECKED_EVENT } from "../../../modules/paysys/ledger-types"
import type { Attempt, BankData, HistoryEntry, RefundRow } from "../../../modules/paysys/ledger-types"
import { partnerTransIdFor, PaysysSessionData, readSessionData } from "../../../providers/paysys/session-data"
import type {
  Money,
  PaysysAttentionItem,
  PaysysFormDetails,
  PaysysHistoryEntry,
  PaysysOrderPanel,
  PaysysStatusLabel,
} from "./paysys-order-panel-types"
import { settlePaysysPayment } from "../../../workflows/settlement/settle-paysys-payment"
import {
  GraphOrder,
  GraphSession,
  PaysysPaymentOfOrder,
  paysysPaymentOfOrder,
  timeOf,
} from "../../../workflows/paysys-payment-of-order"

export type { PaysysHistoryEntry, PaysysOrderPanel, PaysysStatusLabel } from "./paysys-order-panel-types"

/** `GET /admin/paysys/orders/:id`: null when the order was not paid with PaySys. */
export async function getPaysysOrderPanel(
  container: MedusaContainer,
  orderId: string
): Promise<PaysysOrderPanel | null> {
  const found = await paysysPaymentOfOrder(container, orderId)
  return found ? buildPanel(container, found) : null
}

/**
 * `POST /admin/paysys/orders/:id/refresh`: asks PaySys (check_payment) now and settles the
 * order's attempts through the ledger, as a notification would: a reversal made at PaySys is
 * recorded, a refund it cannot explain is shown for the merchant to record.
 */
export async function refreshPaysysOrderPanel(
  container: MedusaContainer,
  orderId: string
): Promise<PaysysOrderPanel | null> {
  const found = await paysysPaymentOfOrder(container, orderId)
  if (!found) {
    return null
  }
  const data = readSessionData(found.payment.data ?? undefined)
  if (!data) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `Payment ${found.payment.id} has no PaySys transaction to check`
    )
  }
  await settlePaysysPayment(container, data.partner_trans_id)
  return getPaysysOrderPanel(container, orderId)
}

async function buildPanel(
  container: MedusaContainer,
  { order, payment, sessions }: PaysysPaymentOfOrder
): Promise<PaysysOrderPanel> {
  const data = readSessionData(payment.data ?? undefined)
  const currency = (data?.currency ?? payment.currency_code).toLowerCase()
  const paysys = container.resolve<PaysysModuleService>(PAYSYS_MODULE)
  const attempts = await paysys.ledger.listAttemptsOfCollections(collectionIds(order))
  const partnerTransIds = [...new Set([...attempts.map((a) => a.partner_trans_id), ...attemptIds(data, sessions)])]
  const notifications = partnerTransIds.length
    ? await paysys.listPaysysNotifications(
        { partner_trans_id: partnerTransIds },
        { order: { created_at: "ASC" }, take: 200 }
      )
    : []
  const own = attempts.find((a) => a.partner_trans_id === data?.partner_trans_id)
  const ledgerRefunds = own ? await paysys.ledger.refunds.list(own.id) : []
  const paysysStatus = own?.paysys_status ?? data?.paysys_status ?? null
  const reversal = ledgerRefunds.find((row) => row.kind === "cancel" && row.state === "accepted")
  const canceledAt = reversal
    ? reversal.created_at.toISOString()
    : paysysStatus === PaysysStatus.CANCELED
      ? iso(own?.updated_at)
      : null
  const refundsSent = ledgerRefunds
    .filter((row) => row.state === "accepted")
    .map((row) => ({
      // the Medusa refund recording it, where there is one
      key: row.booked_as ?? row.key,
      amount: row.amount,
      via: (row.origin === "external" ? "paysys" : row.kind) as "refund" | "cancel" | "paysys",
      at: row.created_at.toISOString(),
    }))
  const refundedMinor = MathBN.add(0, ...refundsSent.map((refund) => refund.amount)).toFixed(0)
  const amountMinor = data?.amount ?? toMinor(payment.amount, currency)
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
    attention: attentionItems(own ?? null, ledgerRefunds, attempts, notifications, currency),
    form: own?.kind === "form" ? formDetails(own) : null,
    history,
  }
}

/** The hosted form's calls about the attempt (Pay, Notify, Cancel, Fiscalization) and the status API's answers. */
const FORM_EVENT = /^(Pay|Notify|Cancel|Fiscalization|payment_status|form)\b/

function formDetails(attempt: {
  agr_trans_id: string | null
  vendor_trans_id: number
  form: unknown
  history: unknown
}): PaysysFormDetails {
  const form = attempt.form as Attempt["form"]
  const history = (Array.isArray(attempt.history) ? attempt.history : []) as HistoryEntry[]
  return {
    agr_trans_id: attempt.agr_trans_id,
    vendor_trans_id: attempt.vendor_trans_id,
    payment_name: form?.payment_name ?? null,
    environment: form?.environment ?? null,
    callbacks: history
      .filter((h) => FORM_EVENT.test(h.event))
      .map((h) => ({ at: h.at, event: h.event, detail: h.detail ?? null })),
    receipt: form?.receipts?.PAYMENT ?? null,
  }
}

/** What the merchant has to look at: the plugin cannot settle these from PaySys's word alone. */
function attentionItems(
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

/** When PaySys last answered check_payment about the attempt (a failed ask is not an answer). */
function lastAnsweredAt(history: unknown): string | null {
  const entries = Array.isArray(history) ? (history as HistoryEntry[]) : []
  return entries.filter((entry) => entry.event.startsWith("check_payment")).at(-1)?.at ?? null
}

function collectionIds(order: GraphOrder): string[] {
  return (order.payment_collections ?? []).map((collection) => collection.id)
}

const TYPE_ORDER: PaysysHistoryEntry["type"][] = ["notification", "paid", "captured", "refund", "cancellation"]

/** Every attempt of the payment's session and of the order's other PaySys sessions: `<session>-1` ... `<session>-<n>`. */
function attemptIds(data: PaysysSessionData | null, sessions: GraphSession[]): string[] {
  const ids = new Set<string>()
  const add = (session: PaysysSessionData | null) => {
    if (!session) {
      return
    }
    for (let attempt = 1; attempt <= session.attempt; attempt++) {
      ids.add(partnerTransIdFor(session.session_id, attempt))
    }
    ids.add(session.partner_trans_id)
  }
  add(data)
  for (const session of sessions) {
    add(readSessionData(session.data ?? undefined))
  }
  return [...ids]
}

export function statusLabel(status: number | null, amount: string | null, refunded: string | null): PaysysStatusLabel {
  if (status === null || status === undefined || !Number.isFinite(status)) {
    return "unknown"
  }
  if (status < 0) {
    return "failed"
  }
  switch (status) {
    case PaysysStatus.CREATED:
    case PaysysStatus.AWAITING_PAYMENT:
      return "waiting"
    case PaysysStatus.COMPLETED:
      return "paid"
    case PaysysStatus.CANCELED:
      return "reversed"
    case PaysysStatus.REFUNDED:
      return amount && refunded && MathBN.lt(refunded, amount) ? "partially_refunded" : "refunded"
    default:
      return "unknown"
  }
}

function money(minor: string | null | undefined, currency: string): Money {
  return { amount: minor ?? null, amount_major: minor == null ? null : toMajor(minor, currency), currency }
}

function majorMoney(major: unknown, currency: string): Money {
  const value = amountOf(major)
  if (!value) {
    return { amount: null, amount_major: null, currency }
  }
  return { amount: toMinor(major, currency), amount_major: value.toFixed(), currency }
}

function toMajor(minor: string, currency: string): string {
  return isPaysysCurrency(currency) ? fromPaysysAmount(minor, currency).toFixed() : minor
}

function toMinor(major: unknown, currency: string): string {
  const value = amountOf(major) ?? MathBN.convert(0)
  return isPaysysCurrency(currency) ? toPaysysAmount(value.abs(), currency).amount : value.toFixed()
}

/** Medusa serializes amounts as numbers, strings or `{ value }` (BigNumber's JSON). */
function amountOf(value: unknown) {
  const raw = value && typeof value === "object" && "value" in value ? (value as { value: unknown }).value : value
  if (typeof raw !== "number" && typeof raw !== "string") {
    return null
  }
  const parsed = MathBN.convert(raw)
  return parsed.isFinite() ? parsed : null
}

function iso(value: string | Date | null | undefined): string | null {
  if (!value) {
    return null
  }
  const date = value instanceof Date ? value : new Date(value)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}
