import type { LedgerReportRow } from "../../../../modules/paysys/ledger-report"
import { fromMinorUnits, isPaysysCurrency } from "../../../../paysys"
import { statusLabel } from "../paysys-status-label"

export type PaysysPaymentRow = Omit<LedgerReportRow, "at"> & { at: string; amount_major: string; status: string }

/** A row as the page shows it and the CSV writes it: major units beside minor, a status as PaySys's cabinet names it. */
export function toPaymentRow(row: LedgerReportRow): PaysysPaymentRow {
  return {
    ...row,
    amount_major: majorUnits(row.amount, row.currency),
    // a payment: PaySys's status; a refund: whether PaySys made it
    status: row.type === "payment" ? statusLabel(row.paysys_status, null, null) : row.state,
    at: new Date(row.at).toISOString(),
  }
}

export function majorUnits(minor: string, currency: string): string {
  return isPaysysCurrency(currency) ? fromMinorUnits(minor, currency) : minor
}
