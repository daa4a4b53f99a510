import type { Attempt, RefundRow } from "../../../../modules/paysys/ledger-types"
import { attemptFixture } from "../../../../modules/paysys/__tests__/attempt-fixture"
import type { PaysysSessionData } from "../../../../providers/paysys/session-data"
import type { GraphPayment } from "../../../../workflows/paysys-payment-of-order"
import type { PanelNotification } from "../paysys-order-panel-history"

/* What the order panel reads, as the ledger, the notifications and Medusa's query give it: each with its defaults. */

export const T0 = "2026-12-07T10:00:00.000Z"

/** An ISO time `minutes` after T0. */
export const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString()

export function sessionData(patch: Partial<PaysysSessionData> = {}): PaysysSessionData {
  return {
    session_id: "payses_1",
    partner_trans_id: "payses_1-1",
    attempt: 1,
    amount: "1139000",
    currency: "uzs",
    refunds: [],
    ...patch,
  }
}

/** A paid card attempt held by pay_1, at T0. */
export function attempt(patch: Partial<Attempt> = {}): Attempt {
  return attemptFixture({
    payment_collection_id: "paycol_1",
    amount: "1139000",
    state: "paid",
    paysys_status: 2,
    transaction_id: "tr_1",
    payment_id: "pay_1",
    sent_at: null,
    next_check_at: null,
    history: null,
    created_at: new Date(T0),
    updated_at: new Date(T0),
    ...patch,
  })
}

export function refundRow(patch: Partial<RefundRow> = {}): RefundRow {
  return {
    id: "psref_1",
    attempt_id: "psatt_1",
    partner_trans_id: "payses_1-1",
    key: "ref_1",
    kind: "refund",
    origin: "medusa",
    amount: "100000",
    currency: "uzs",
    state: "accepted",
    status_before: 2,
    booked_as: "ref_1",
    error: null,
    created_at: new Date(at(10)),
    updated_at: new Date(at(10)),
    ...patch,
  }
}

export function notification(patch: Partial<PanelNotification> = {}): PanelNotification {
  return {
    id: "psnot_1",
    partner_trans_id: "payses_1-1",
    reported_status: "2",
    amount: "1139000",
    currency: "UZS",
    deliveries: 1,
    processed_at: at(1),
    outcome: "paid",
    last_error: null,
    parked_at: null,
    created_at: at(1),
    ...patch,
  }
}

export function payment(patch: Partial<GraphPayment> = {}): GraphPayment {
  return {
    id: "pay_1",
    provider_id: "pp_paysys_paysys",
    amount: 11390,
    currency_code: "uzs",
    data: null,
    payment_session_id: "payses_1",
    created_at: T0,
    ...patch,
  }
}
