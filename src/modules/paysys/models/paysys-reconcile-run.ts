import { model } from "@medusajs/framework/utils"

/**
 * One run of the reconciliation job, for the merchant's PaySys page: what it did, how long it
 * took, and what PaySys answered with errors or rate refusals. The job keeps the latest
 * RECONCILE_RUNS_KEPT rows.
 */
const PaysysReconcileRun = model
  .define("paysys_reconcile_run", {
    id: model.id({ prefix: "psrun" }).primaryKey(),
    started_at: model.dateTime(),
    duration_ms: model.number(),
    notifications: model.number().default(0),
    attempts: model.number().default(0),
    failed: model.number().default(0),
    expired_cards: model.number().default(0),
    /** another server held the job's lock */
    skipped: model.boolean().default(false),
    budget_spent: model.boolean().default(false),
    /** PaySys's failures met by the run (errors, timeouts), its HTTP 429s apart */
    paysys_errors: model.number().default(0),
    rate_refusals: model.number().default(0),
  })
  .indexes([{ name: "IDX_paysys_reconcile_run_started_at", on: ["started_at"] }])

export default PaysysReconcileRun
