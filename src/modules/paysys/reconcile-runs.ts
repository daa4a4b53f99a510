import type { Knex } from "knex"
import { generateEntityId } from "@medusajs/framework/utils"

/** Runs kept: a day of the job's minutes, and a little more. */
export const RECONCILE_RUNS_KEPT = 1500

export type ReconcileRunRecord = {
  started_at: Date
  duration_ms: number
  notifications: number
  attempts: number
  failed: number
  expired_cards: number
  skipped: boolean
  budget_spent: boolean
  paysys_errors: number
  rate_refusals: number
}

type Window = { runs: number; failed: number; paysys_errors: number; rate_refusals: number }

/** What the PaySys page says of reconciliation's health. */
export type ReconciliationHealth = {
  last_runs: (ReconcileRunRecord & { id: string })[]
  /** attempts whose next look is due now, and those due for longer than `overdueMs` */
  attempts_due: number
  attempts_overdue: number
  notifications_waiting: number
  notifications_parked: number
  last_hour: Window
  last_day: Window
}

/**
 * The reconciliation job's runs (`paysys_reconcile_run`), written by the job, the latest
 * RECONCILE_RUNS_KEPT kept; and the health the merchant's PaySys page shows.
 */
export class ReconcileRuns {
  constructor(private readonly db: Knex) {}

  async record(run: ReconcileRunRecord): Promise<void> {
    await this.db("paysys_reconcile_run").insert({ id: generateEntityId(undefined, "psrun"), ...run })
    await this.db("paysys_reconcile_run")
      .where(
        "started_at",
        "<",
        this.db("paysys_reconcile_run")
          .select("started_at")
          .orderBy("started_at", "desc")
          .offset(RECONCILE_RUNS_KEPT)
          .limit(1)
      )
      .delete()
  }

  async health(now: Date, overdueMs: number, lastRuns = 10): Promise<ReconciliationHealth> {
    const window = async (since: Date): Promise<Window> => {
      const [row] = await this.db("paysys_reconcile_run")
        .where("started_at", ">=", since)
        .whereNull("deleted_at")
        .select(
          this.db.raw(`count(*)::int as runs`),
          this.db.raw(`coalesce(sum(failed), 0)::int as failed`),
          this.db.raw(`coalesce(sum(paysys_errors), 0)::int as paysys_errors`),
          this.db.raw(`coalesce(sum(rate_refusals), 0)::int as rate_refusals`)
        )
      return row
    }
    const count = async (query: Knex.QueryBuilder) => Number((await query.count({ count: "*" }))[0].count)
    const due = () => this.db("paysys_attempt").whereNull("deleted_at").whereNotNull("next_check_at")
    const notifications = () => this.db("paysys_notification").whereNull("deleted_at").whereNull("processed_at")
    const [
      last_runs,
      attempts_due,
      attempts_overdue,
      notifications_waiting,
      notifications_parked,
      last_hour,
      last_day,
    ] = await Promise.all([
      this.db("paysys_reconcile_run").whereNull("deleted_at").orderBy("started_at", "desc").limit(lastRuns).select("*"),
      count(due().where("next_check_at", "<=", now)),
      count(due().where("next_check_at", "<=", new Date(now.getTime() - overdueMs))),
      count(notifications().whereNull("parked_at")),
      count(notifications().whereNotNull("parked_at")),
      window(new Date(now.getTime() - 3600_000)),
      window(new Date(now.getTime() - 86_400_000)),
    ])
    return {
      last_runs,
      attempts_due,
      attempts_overdue,
      notifications_waiting,
      notifications_parked,
      last_hour,
      last_day,
    }
  }
}
