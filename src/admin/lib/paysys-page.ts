/** The answers of the PaySys page's routes (their types come from the server, erased in the bundle). */
export type { PaysysNeedsYouItem, PaysysNeedsYouList } from "../../api/admin/paysys/needs-you/needs-you-types"
import type { ReconciliationHealth } from "../../modules/paysys/reconcile-runs"

type Dated<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] }

/** GET /admin/paysys/reconciliation: dates as JSON has them */
export type PaysysReconciliationResponse = {
  reconciliation: Omit<ReconciliationHealth, "last_runs"> & {
    last_runs: Dated<ReconciliationHealth["last_runs"][number]>[]
    overdue_after_ms: number
  }
}

export type { PaysysPaymentRow } from "../../api/admin/paysys/payments/payment-rows"
import type { PaysysPaymentRow } from "../../api/admin/paysys/payments/payment-rows"
import type { LedgerReportTotal } from "../../modules/paysys/ledger-report"

/** GET /admin/paysys/payments */
export type PaysysPaymentsResponse = {
  payments: PaysysPaymentRow[]
  count: number
  limit: number
  offset: number
  totals: (LedgerReportTotal & { amount_major: string })[]
  /** the report's time zone, in which the days are */
  time_zone: string
}

/** The states the Payments filter offers: the ledger's attempt states, then its refund states. */
export const PAYMENT_FILTER_STATES = [
  ...["captured", "paid", "reversed", "reversing", "attention", "failed", "open"],
  ...["accepted", "refused", "unknown"],
]

/** Rows per page of the page's lists. */
export const PAGE_SIZE = 20

/** The query key of the "needs you" list, which its actions invalidate. */
export const NEEDS_YOU_KEY = ["paysys-needs-you"]
