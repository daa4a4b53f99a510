import type { Knex } from "knex"
import { generateEntityId, MedusaError } from "@medusajs/framework/utils"
import { attemptMachine, initialAttemptState } from "./attempt-machine"
import { CollectionClaims } from "./collection-claims"
import { FormAttempts } from "./form-attempts"
import { appendHistory } from "./history-sql"
import {
  Attempt,
  AttemptChange,
  AttemptPatch,
  entry,
  HistoryEntry,
  isUniqueViolation,
  NewAttempt,
} from "./ledger-types"
import { RefundLedger } from "./refund-ledger"
import { IllegalTransitionError } from "./state-machine"

/**
 * The order reconciliation takes due attempts in, as SQL conditions on paysys_attempt (each with a
 * partial index of the model): those that may hold money (paid, being given back, an order's
 * payment with a refund in doubt); then those sent or on the bank's page not looked at yet; then
 * those looked at before (mostly abandoned on the bank's page).
 */
export const DUE_TIERS = [
  `state not in ('sending', 'open')`,
  `state in ('sending', 'open') and checks = 0`,
  `state in ('sending', 'open') and checks > 0`,
]

/**
 * The plugin's ledger of what PaySys holds: `paysys_attempt` and `paysys_refund` (the module's
 * models). The payment provider lives inside Medusa's Payment Module and cannot call the
 * plugin's module, so both reach the tables through the connection every module shares, and
 * all the SQL on them is here. Every row is written before the PaySys call it stands for.
 */
export class PaymentLedger {
  /** the hosted form's attempts, by what its callbacks say */
  readonly forms: FormAttempts
  /** the refunds and reversals of the attempts */
  readonly refunds: RefundLedger
  /** what holds each cart's payment collection: claims, Medusa's payments */
  readonly collections: CollectionClaims

  constructor(private readonly db: Knex) {
    this.forms = new FormAttempts(db)
    this.refunds = new RefundLedger(db)
    this.collections = new CollectionClaims(db)
  }

  private get attempts() {
    return this.db<Attempt>("paysys_attempt").whereNull("deleted_at")
  }

  /** One attempt, through the unique index (partial on deleted_at, so the condition is needed). */
  private byPartnerTransId(partnerTransId: string) {
    return this.db("paysys_attempt").where({ partner_trans_id: partnerTransId }).whereNull("deleted_at")
  }

  /** Records an attempt before PaySys hears of it; an id already used is a conflict. */
  async createAttempt(input: NewAttempt, event: string): Promise<Attempt> {
    try {
      const [row] = await this.db("paysys_attempt")
        .insert({
          id: generateEntityId(undefined, "psatt"),
          state: initialAttemptState(input.kind),
          saved_card_id: null,
          ...input,
          history: JSON.stringify([entry(event)]),
        })
        .returning("*")
      return row
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new MedusaError(MedusaError.Types.CONFLICT, `PaySys attempt ${input.partner_trans_id} exists already`)
      }
      throw error
    }
  }

  async findAttempt(partnerTransId: string): Promise<Attempt | null> {
    return (await this.attempts.clone().where({ partner_trans_id: partnerTransId }).first()) ?? null
  }

  /** The attempts made for these payment collections, oldest first, at most `limit`. */
  async listAttemptsOfCollections(collectionIds: string[], limit = 200): Promise<Attempt[]> {
    if (!collectionIds.length) {
      return []
    }
    return this.attempts
      .clone()
      .whereIn("payment_collection_id", collectionIds)
      .orderBy("created_at", "asc")
      .limit(limit)
  }

  async retrieveAttempt(partnerTransId: string): Promise<Attempt> {
    const attempt = await this.findAttempt(partnerTransId)
    if (!attempt) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `PaySys attempt ${partnerTransId} is not in the ledger`)
    }
    return attempt
  }

  /** The session's attempts, oldest first. */
  listSessionAttempts(sessionId: string): Promise<Attempt[]> {
    return this.attempts.clone().where({ session_id: sessionId }).orderBy("created_at", "asc")
  }

  /**
   * The session's attempts, to number the next one. An attempt a later session adopted left a
   * session that is gone (only a deleted session's paid attempt is adopted), so none is missed.
   */
  async countAttemptsMadeFor(sessionId: string): Promise<number> {
    const [{ count }] = await this.attempts.clone().where({ session_id: sessionId }).count({ count: "*" })
    return Number(count)
  }

  /** Every attempt made for a cart's payment collection, whichever session made it. */
  listCollectionAttempts(paymentCollectionId: string): Promise<Attempt[]> {
    return this.attempts.clone().where({ payment_collection_id: paymentCollectionId }).orderBy("created_at", "asc")
  }

  listPaymentAttempts(paymentId: string): Promise<Attempt[]> {
    return this.attempts.clone().where({ payment_id: paymentId })
  }

  /** Marks the write call as sent, once: false when it was sent already (never send it twice). */
  async markSent(partnerTransId: string): Promise<boolean> {
    const updated = await this.byPartnerTransId(partnerTransId)
      .whereNull("sent_at")
      .update({ sent_at: new Date(), updated_at: new Date() })
    return updated === 1
  }

  /** Writes a change of the attempt; its event, if any, must be one the state machine allows now. */
  async updateAttempt(partnerTransId: string, change: AttemptChange, event?: HistoryEntry | string): Promise<Attempt> {
    const { event: transition, ...patch } = change
    const values = this.attemptValues(patch, event)
    if (!transition) {
      const [row] = await this.byPartnerTransId(partnerTransId).update(values).returning("*")
      return row
    }
    const moved = await attemptMachine.apply<Attempt>(this.byPartnerTransId(partnerTransId), transition, values)
    if (!moved) {
      const current = await this.retrieveAttempt(partnerTransId)
      throw new IllegalTransitionError("PaySys attempt", partnerTransId, current.state, transition)
    }
    return moved
  }

  private attemptValues(patch: AttemptPatch, event?: HistoryEntry | string): Record<string, unknown> {
    const values: Record<string, unknown> = { ...patch, updated_at: new Date() }
    if (patch.form !== undefined) {
      values.form = patch.form === null ? null : JSON.stringify(patch.form)
    }
    if (patch.bank !== undefined) {
      values.bank = patch.bank === null ? null : JSON.stringify(patch.bank)
    }
    if (event) {
      values.history = appendHistory(this.db, typeof event === "string" ? entry(event) : event)
    }
    return values
  }

  /**
   * Closes an attempt parked for the merchant with what they did (`patch`), once: false when it
   * is no longer parked (another admin closed it, or a check settled it meanwhile).
   */
  async resolveAttention(
    partnerTransId: string,
    transition: "merchant_refunded_in_cabinet" | "merchant_saw_not_paid",
    patch: AttemptPatch,
    event: HistoryEntry
  ): Promise<boolean> {
    const moved = await attemptMachine.apply(
      this.byPartnerTransId(partnerTransId),
      transition,
      this.attemptValues(patch, event)
    )
    return moved !== null
  }

  /**
   * The merchant checked in the PaySys cabinet a cancellation PaySys's status contradicted:
   * false when there is none to check (checked by another admin meanwhile).
   */
  async acknowledgeContradiction(partnerTransId: string, event: HistoryEntry): Promise<boolean> {
    const updated = await this.byPartnerTransId(partnerTransId)
      .whereNotNull("contradicted_at")
      .update({
        contradicted_at: null,
        updated_at: new Date(),
        history: appendHistory(this.db, event),
      })
    return updated === 1
  }

  /** Adds to an attempt's history, if the attempt is in the ledger. */
  async addHistory(partnerTransId: string, event: HistoryEntry): Promise<void> {
    await this.byPartnerTransId(partnerTransId).update({
      history: appendHistory(this.db, event),
    })
  }

  /** Starts reversing a paid attempt no completion claimed since `claimedBefore`: false otherwise. */
  async startReversal(partnerTransId: string, claimedBefore: Date, reason: string): Promise<boolean> {
    const unclaimed = this.byPartnerTransId(partnerTransId).where((q) =>
      q.whereNull("claimed_at").orWhere("claimed_at", "<", claimedBefore)
    )
    const moved = await attemptMachine.apply(
      unclaimed,
      "reversal_started",
      this.attemptValues({ outcome: reason }, entry("reversal started", null, reason))
    )
    return moved !== null
  }

  /**
   * Attempts whose next look is due, soonest first within each tier (DUE_TIERS): those that may
   * hold money, then the first look at those waiting for the shopper (a payment whose callback was
   * lost is found there), then the rest. A partial index on next_check_at serves each tier, so a
   * pile of abandoned attempts never delays money: with a budget of PaySys calls, what runs first matters.
   */
  async listDueAttempts(
    now: Date,
    limit: number
  ): Promise<Pick<Attempt, "partner_trans_id" | "payment_collection_id">[]> {
    const due: Pick<Attempt, "partner_trans_id" | "payment_collection_id">[] = []
    for (const tier of DUE_TIERS) {
      if (due.length >= limit) {
        break
      }
      due.push(...(await this.dueInTier(tier, now, limit - due.length)))
    }
    return due
  }

  /** One tier's page of listDueAttempts, as a query (the benchmark explains it). */
  dueInTier(tier: string, now: Date, limit: number) {
    return (
      this.db("paysys_attempt")
        .whereNull("deleted_at")
        .whereNotNull("next_check_at")
        .where("next_check_at", "<=", now)
        // literal conditions, so that the planner matches each partial index's predicate
        .whereRaw(tier)
        .orderBy("next_check_at", "asc")
        .limit(limit)
        .select<Pick<Attempt, "partner_trans_id" | "payment_collection_id">[]>(
          "partner_trans_id",
          "payment_collection_id"
        )
    )
  }

  /**
   * A Medusa payment holding this attempt makes it that payment's record, whatever state a
   * check left it in (a refund may have been made on it before reconciliation looked).
   */
  async recordCapture(attempt: Attempt): Promise<Attempt> {
    // only an attempt that took money can be a payment's; a captured one is one already
    if (attempt.state === "captured" || !attemptMachine.allows(attempt.state, "medusa_payment_holds")) {
      return attempt
    }
    const [payment] = await this.collections.medusaPaymentsUsing(attempt)
    if (!payment) {
      return attempt
    }
    return this.updateAttempt(
      attempt.partner_trans_id,
      {
        event: "medusa_payment_holds",
        payment_id: payment.id,
        session_id: payment.payment_session_id,
        outcome: "captured",
      },
      entry("captured by Medusa payment", null, payment.id)
    )
  }
}
