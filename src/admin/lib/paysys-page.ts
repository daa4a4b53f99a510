/** The answers of the PaySys page's routes (their types come from the server, erased in the bundle). */
export type { PaysysNeedsYouItem, PaysysNeedsYouList } from "../../api/admin/paysys/needs-you/needs-you-types"
import type { ReconciliationHealth } from "../../modules/paysys/reconcile-runs"

type Dated<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] }

/** GET /admin/paysys/reconciliation: dates as JSON has them */
export type PaysysReconciliationResponse = {
  reconciliation: Omit<ReconciliationHealth, "last_runs"> & { last_runs: Dated<ReconciliationHealth["last_runs"][number]>[]; overdue_after_ms: number }
}
