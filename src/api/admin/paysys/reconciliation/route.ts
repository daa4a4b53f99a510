import { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { PAYSYS_MODULE, PaysysModuleService } from "../../../../modules/paysys"

/** An attempt due this long and not looked at says the job is not keeping up (it runs every minute). */
const OVERDUE_MS = 10 * 60_000

/**
 * GET /admin/paysys/reconciliation
 * Whether reconciliation runs: its last runs, attempts due and overdue, notifications waiting or
 * parked, PaySys's errors and rate refusals over the last hour and day.
 */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const health = await req.scope
    .resolve<PaysysModuleService>(PAYSYS_MODULE)
    .reconcileRuns.health(new Date(), OVERDUE_MS)
  res.json({ reconciliation: { ...health, overdue_after_ms: OVERDUE_MS } })
}
