import type { Knex } from "knex"
import { generateEntityId, MedusaError } from "@medusajs/framework/utils"
import { isUniqueViolation, RefundChange, RefundRow } from "./ledger-types"
import { REFUND_START, refundMachine } from "./refund-machine"
import { IllegalTransitionError } from "./state-machine"

/** The ledger's refunds and reversals (`paysys_refund`): each written before PaySys is asked for it. */
export class RefundLedger {
  constructor(private readonly db: Knex) {}

  private get rows() {
    return this.db<RefundRow>("paysys_refund").whereNull("deleted_at")
  }

  list(attemptId: string): Promise<RefundRow[]> {
    return this.rows.clone().where({ attempt_id: attemptId }).orderBy("created_at", "asc")
  }

  async find(key: string): Promise<RefundRow | null> {
    return (await this.rows.clone().where({ key }).first()) ?? null
  }

  async retrieve(id: string): Promise<RefundRow> {
    const row = await this.rows.clone().where({ id }).first()
    if (!row) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `PaySys refund ${id} was not found`)
    }
    return row
  }

  /** Records a refund before it is sent; a second one in flight for the attempt is a conflict. */
  async create(
    input: Pick<RefundRow, "attempt_id" | "partner_trans_id" | "key" | "kind" | "origin" | "amount" | "currency"> &
      Partial<Pick<RefundRow, "status_before" | "booked_as">> & { start?: keyof typeof REFUND_START }
  ): Promise<RefundRow> {
    const { start = "to_send", ...values } = input
    try {
      const [row] = await this.db("paysys_refund")
        .insert({ id: generateEntityId(undefined, "psref"), state: REFUND_START[start], ...values })
        .returning("*")
      return row
    } catch (error) {
      if (isUniqueViolation(error)) {
        // not CONFLICT: Medusa answers a 409 with a generic message, and this one says what to do
        throw new MedusaError(
          MedusaError.Types.NOT_ALLOWED,
          `Another refund of PaySys payment ${input.partner_trans_id} is in progress or was recorded under ${input.key}; try again in a moment`
        )
      }
      throw error
    }
  }

  /**
   * Refunds PaySys made that no live Medusa refund records: never handed to Medusa (a lost
   * answer, one made in the PaySys cabinet), or handed to a refund Medusa rolled back. A row
   * handed over less than `settledMs` ago may still be committing, so it counts as recorded.
   */
  listUnbooked(attemptId: string, settledMs: number): Promise<RefundRow[]> {
    return this.db("paysys_refund as r")
      .whereNull("r.deleted_at")
      .where({ "r.attempt_id": attemptId, "r.state": "accepted" })
      .whereNot("r.origin", "reconciliation")
      .where((q) =>
        q
          .whereNull("r.booked_as")
          .orWhere((old) =>
            old
              .where("r.updated_at", "<", new Date(Date.now() - settledMs))
              .whereNotExists((m) =>
                m.select(this.db.raw("1")).from("refund as m").whereRaw("m.id = r.booked_as").whereNull("m.deleted_at")
              )
          )
      )
      .orderBy("r.created_at", "asc")
      .select("r.*")
  }

  /** Hands a refund PaySys made to one Medusa refund: false when another took it meanwhile. */
  async book(row: RefundRow, medusaRefundId: string): Promise<boolean> {
    const updated = await this.db("paysys_refund")
      .where({ id: row.id })
      .where((q) => (row.booked_as === null ? q.whereNull("booked_as") : q.where("booked_as", row.booked_as)))
      .update({ booked_as: medusaRefundId, updated_at: new Date() })
    return updated === 1
  }

  /** Deletes a row recording a refund made at PaySys that no Medusa refund took (Medusa refused it). */
  async forgetUnbooked(id: string): Promise<void> {
    await this.db("paysys_refund").where({ id }).whereNull("booked_as").delete()
  }

  /** Deletes a refund row whose call PaySys refused unread (HTTP 429): nothing was done, and it may be sent again. */
  async forgetUnsent(id: string): Promise<void> {
    await this.db("paysys_refund").where({ id, state: "sending" }).delete()
  }

  /** Writes a change of the refund row; its event, if any, must be one the state machine allows now. */
  async update(id: string, change: RefundChange): Promise<RefundRow> {
    const { event, ...patch } = change
    const values: Record<string, unknown> = { ...patch, updated_at: new Date() }
    if (patch.error !== undefined) {
      values.error = patch.error === null ? null : JSON.stringify(patch.error)
    }
    if (!event) {
      const [row] = await this.db("paysys_refund").where({ id }).update(values).returning("*")
      return row
    }
    const moved = await refundMachine.apply<RefundRow>(this.db("paysys_refund").where({ id }), event, values)
    if (!moved) {
      throw new IllegalTransitionError("PaySys refund", id, (await this.retrieve(id)).state, event)
    }
    return moved
  }
}
