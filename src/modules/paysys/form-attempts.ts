import type { Knex } from "knex"
import { appendHistory } from "./history-sql"
import { Attempt, entry, FormRecord, isUniqueViolation } from "./ledger-types"

/** The hosted form's attempts, by what its merchant-API callbacks (Pay, Notify, Statement) say. */
export class FormAttempts {
  constructor(private readonly db: Knex) {}

  private get attempts() {
    return this.db<Attempt>("paysys_attempt").whereNull("deleted_at")
  }

  async findByAgrTransId(agrTransId: string): Promise<Attempt | null> {
    return (await this.attempts.clone().where({ agr_trans_id: agrTransId }).first()) ?? null
  }

  /**
   * Records an accepted Pay of the hosted form: the attempt gets its AGR_TRANS_ID once, while
   * still open. False when it has another already (or PaySys's id names another attempt).
   */
  async acceptPay(partnerTransId: string, agrTransId: string, form: FormRecord, nextCheckAt: Date): Promise<boolean> {
    try {
      const updated = await this.db("paysys_attempt")
        .where({ partner_trans_id: partnerTransId, kind: "form", state: "open" })
        .whereNull("deleted_at")
        .whereNull("agr_trans_id")
        .update({
          agr_trans_id: agrTransId,
          form: JSON.stringify(form),
          sent_at: new Date(),
          next_check_at: nextCheckAt,
          updated_at: new Date(),
          history: appendHistory(
            this.db,
            entry("Pay accepted", null, `AGR_TRANS_ID ${agrTransId}, ${form.payment_name}, ${form.environment}`)
          ),
        })
      return updated === 1
    } catch (error) {
      if (isUniqueViolation(error)) {
        return false
      }
      throw error
    }
  }

  /** Form attempts whose Pay was accepted within [from, to] (inclusive), oldest first, at most `limit`. */
  listPayments(from: Date, to: Date, environment: string, limit: number): Promise<Attempt[]> {
    return this.attempts
      .clone()
      .where({ kind: "form" })
      .whereNotNull("agr_trans_id")
      .whereRaw(`form->>'environment' = ?`, [environment])
      .whereRaw(`(form->>'pay_accepted_at')::timestamptz between ? and ?`, [from, to])
      .orderBy("created_at", "asc")
      .limit(limit)
  }
}
