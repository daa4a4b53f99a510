import type { Knex } from "knex"
import { generateEntityId, MedusaError } from "@medusajs/framework/utils"
import { PaysysCurrency } from "../../paysys"
import { AttemptEvent, attemptMachine, AttemptState, initialAttemptState } from "./attempt-machine"
import { REFUND_START, RefundEvent, refundMachine, RefundState } from "./refund-machine"
import { IllegalTransitionError } from "./state-machine"

export type { AttemptState }

export type Attempt = {
  id: string
  partner_trans_id: string
  provider_id: string
  kind: "card" | "saved_card" | "form"
  session_id: string
  payment_collection_id: string
  cart_id: string | null
  amount: string
  currency: PaysysCurrency
  saved_card_id: string | null
  state: AttemptState
  paysys_status: number | null
  transaction_id: string | null
  agr_trans_id: string | null
  /** the hosted form's VENDOR_TRANS_ID (a serial): every attempt has one, form attempts use it */
  vendor_trans_id: number
  form: FormRecord | null
  payment_id: string | null
  outcome: string | null
  sent_at: Date | null
  paid_at: Date | null
  claimed_at: Date | null
  contradicted_at: Date | null
  next_check_at: Date | null
  checks: number
  last_error: string | null
  bank: BankData | null
  history: HistoryEntry[] | null
  created_at: Date
  updated_at: Date
}

/** What PaySys said of the payment: shown to the shopper (masked) and the merchant. */
export type BankData = {
  rrn?: string | null
  approval_code?: string | null
  three_ds?: string | null
  card_masked?: string | null
  error?: { code: number; message: string } | null
}

/** What the hosted form's callbacks said of a form attempt. */
export type FormRecord = {
  /** Pay's PAYMENT_ID: the status API needs it */
  payment_system_id: string
  /** Pay's PAYMENT_NAME: the card type (uzcard, humo, visa...) */
  payment_name: string
  environment: "sandbox" | "live"
  /** ISO time Pay was accepted: Statement lists by it */
  pay_accepted_at: string
  /** Notify statuses received, in order (2 paid, 3 cancelled) */
  notified: number[]
  /** ISO time a Cancel was accepted */
  cancel_accepted_at?: string | null
  /** the fiscal receipt answered to Fiscalization, by TYPE */
  receipts?: Record<string, unknown>
}

export type HistoryEntry = {
  at: string
  event: string
  status?: number | null
  detail?: string | null
  /** the admin user whose action this was (auth_context.actor_id) */
  actor?: string | null
}

/**
 * A Cancel of the hosted form that PaySys's status API contradicted (it still said paid):
 * nothing was booked, and the order panel and "Needs you" show it for the merchant to look at
 * (`contradicted_at`) until they checked the PaySys cabinet.
 */
export const CANCEL_CONTRADICTED_EVENT = "Cancel refused: PaySys says paid"

/** The merchant checked the contradicted cancellations so far in the PaySys cabinet. */
export const CONTRADICTION_CHECKED_EVENT = "contradicted cancellation checked in the PaySys cabinet by the merchant"

export type RefundRow = {
  id: string
  attempt_id: string
  partner_trans_id: string
  key: string
  kind: "refund" | "cancel"
  origin: "medusa" | "reconciliation" | "external"
  amount: string
  currency: string
  state: RefundState
  status_before: number | null
  booked_as: string | null
  error: { code: number; message: string } | null
  created_at: Date
  updated_at: Date
}

export type NewAttempt = Pick<
  Attempt,
  "partner_trans_id" | "provider_id" | "kind" | "session_id" | "payment_collection_id" | "amount" | "currency"
> & { cart_id?: string | null; saved_card_id?: string | null; next_check_at: Date }

export type AttemptPatch = Partial<
  Pick<
    Attempt,
    | "paysys_status"
    | "transaction_id"
    | "payment_id"
    | "agr_trans_id"
    | "form"
    | "outcome"
    | "paid_at"
    | "next_check_at"
    | "contradicted_at"
    | "last_error"
    | "bank"
    | "session_id"
    | "checks"
  >
>

/** A change of an attempt: its fields, and the event that moves its state (attempt-machine.ts), if any. */
export type AttemptChange = AttemptPatch & { event?: AttemptEvent }

/** A change of a refund row: its fields, and the event that moves its state (refund-machine.ts), if any. */
export type RefundChange = Partial<Pick<RefundRow, "booked_as" | "key" | "error">> & { event?: RefundEvent }

const UNIQUE_VIOLATION = "23505"

/**
 * The order reconciliation takes due attempts in, as SQL conditions on paysys_attempt (each with a
 * partial index of the model): those that may hold money (paid, being given back, an order's
 * payment with a refund in doubt); then those sent or on the bank's page not looked at yet; then
 * those looked at before (mostly abandoned on the bank's page).
 */
const DUE_TIERS = [
  `state not in ('sending', 'open')`,
  `state in ('sending', 'open') and checks = 0`,
  `state in ('sending', 'open') and checks > 0`,
]

/**
 * How long a cart completion that claimed a paid attempt has to write its Medusa payment (Medusa
 * writes it as soon as the provider answers). Meanwhile no other attempt of the cart can be
 * claimed; a claim whose completion failed stops counting after this.
 */
export const CLAIM_HOLDS_MS = 60_000

/**
 * The plugin's ledger of what PaySys holds: `paysys_attempt` and `paysys_refund` (the module's
 * models). The payment provider lives inside Medusa's Payment Module and cannot call the
 * plugin's module, so both reach the tables through the connection every module shares, and
 * all the SQL on them is here. Every row is written before the PaySys call it stands for.
 */
export class PaymentLedger {
  constructor(private readonly db: Knex) {}

  private get attempts() {
    return this.db<Attempt>("paysys_attempt").whereNull("deleted_at")
  }

  /** One attempt, through the unique index (partial on deleted_at, so the condition is needed). */
  private byPartnerTransId(partnerTransId: string) {
    return this.db("paysys_attempt").where({ partner_trans_id: partnerTransId }).whereNull("deleted_at")
  }

  private get refunds() {
    return this.db<RefundRow>("paysys_refund").whereNull("deleted_at")
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
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) {
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

  async findAttemptByAgrTransId(agrTransId: string): Promise<Attempt | null> {
    return (await this.attempts.clone().where({ agr_trans_id: agrTransId }).first()) ?? null
  }

  /**
   * Records an accepted Pay of the hosted form: the attempt gets its AGR_TRANS_ID once, while
   * still open. False when it has another already (or PaySys's id names another attempt).
   */
  async acceptFormPay(
    partnerTransId: string,
    agrTransId: string,
    form: FormRecord,
    nextCheckAt: Date
  ): Promise<boolean> {
    try {
      const updated = await this.byPartnerTransId(partnerTransId)
        .where({ kind: "form", state: "open" })
        .whereNull("agr_trans_id")
        .update({
          agr_trans_id: agrTransId,
          form: JSON.stringify(form),
          sent_at: new Date(),
          next_check_at: nextCheckAt,
          updated_at: new Date(),
          history: this.db.raw(`coalesce(history, '[]'::jsonb) || ?::jsonb`, [
            JSON.stringify([
              entry("Pay accepted", null, `AGR_TRANS_ID ${agrTransId}, ${form.payment_name}, ${form.environment}`),
            ]),
          ]),
        })
      return updated === 1
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) {
        return false
      }
      throw error
    }
  }

  /** Form attempts whose Pay was accepted within [from, to] (inclusive), oldest first, at most `limit`. */
  listFormPayments(from: Date, to: Date, environment: string, limit: number): Promise<Attempt[]> {
    return this.attempts
      .clone()
      .where({ kind: "form" })
      .whereNotNull("agr_trans_id")
      .whereRaw(`form->>'environment' = ?`, [environment])
      .whereRaw(`(form->>'pay_accepted_at')::timestamptz between ? and ?`, [from, to])
      .orderBy("created_at", "asc")
      .limit(limit)
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
      values.history = this.db.raw(`coalesce(history, '[]'::jsonb) || ?::jsonb`, [
        JSON.stringify([typeof event === "string" ? entry(event) : event]),
      ])
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
        history: this.db.raw(`coalesce(history, '[]'::jsonb) || ?::jsonb`, [JSON.stringify([event])]),
      })
    return updated === 1
  }

  /** Adds to an attempt's history, if the attempt is in the ledger. */
  async addHistory(partnerTransId: string, event: HistoryEntry): Promise<void> {
    await this.byPartnerTransId(partnerTransId).update({
      history: this.db.raw(`coalesce(history, '[]'::jsonb) || ?::jsonb`, [JSON.stringify([event])]),
    })
  }

  /**
   * A cart completion takes this paid attempt: false when a reversal has started on it, or when
   * another attempt of its cart pays it (rivalOf). The shopper's completion and reconciliation's
   * may each hold a different paid attempt of one cart: only one of them may become its payment.
   */
  async claim(partnerTransId: string): Promise<boolean> {
    const attempt = await this.findAttempt(partnerTransId)
    if (!attempt) {
      return false
    }
    return this.db.transaction(async (trx) => {
      // one claim at a time per cart: two concurrent ones must not both find no rival
      await trx.raw(`select pg_advisory_xact_lock(hashtext(?))`, [`paysys-claim:${attempt.payment_collection_id}`])
      if (await this.rivalOf(attempt, trx)) {
        return false
      }
      const updated = await trx("paysys_attempt")
        .where({ partner_trans_id: partnerTransId })
        .whereNull("deleted_at")
        .whereIn("state", ["paid", "captured"])
        .update({ claimed_at: new Date(), updated_at: new Date() })
      return updated === 1
    })
  }

  /**
   * What else pays the attempt's cart, if anything: a live Medusa payment of its collection made
   * with anything else, or another attempt a completion claimed less than CLAIM_HOLDS_MS ago
   * (its Medusa payment is on its way). Answers its partner_trans_id ("" for another provider's).
   */
  async rivalOf(
    attempt: Pick<Attempt, "partner_trans_id" | "payment_collection_id">,
    db: Knex = this.db
  ): Promise<string | null> {
    const [payment] = await this.otherMedusaPaymentsIn(attempt, db)
    return payment ? (payment.partner_trans_id ?? "") : this.claimedOther(attempt, db)
  }

  /** Another attempt of the cart that a completion claimed less than CLAIM_HOLDS_MS ago. */
  async claimedOther(
    attempt: Pick<Attempt, "partner_trans_id" | "payment_collection_id">,
    db: Knex = this.db
  ): Promise<string | null> {
    const claimed = await db("paysys_attempt")
      .where({ payment_collection_id: attempt.payment_collection_id })
      .whereNot({ partner_trans_id: attempt.partner_trans_id })
      .whereNull("deleted_at")
      .whereIn("state", ["paid", "captured"])
      .where("claimed_at", ">", new Date(Date.now() - CLAIM_HOLDS_MS))
      .first("partner_trans_id")
    return claimed?.partner_trans_id ?? null
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
      due.push(
        ...(await this.db("paysys_attempt")
          .whereNull("deleted_at")
          .whereNotNull("next_check_at")
          .where("next_check_at", "<=", now)
          // literal conditions, so that the planner matches each partial index's predicate
          .whereRaw(tier)
          .orderBy("next_check_at", "asc")
          .limit(limit - due.length)
          .select("partner_trans_id", "payment_collection_id"))
      )
    }
    return due
  }

  /**
   * Medusa payments that hold this attempt. Read from Medusa's own table, so a payment made a
   * moment ago counts before anything here learned of it: no paid attempt is ever reversed
   * while an order's payment uses it.
   */
  async medusaPaymentsUsing(
    attempt: Pick<Attempt, "partner_trans_id" | "payment_collection_id">
  ): Promise<{ id: string; payment_session_id: string }[]> {
    // an attempt's payment is always in its cart's collection (the one index to go through)
    return this.db("payment")
      .whereNull("deleted_at")
      .where({ payment_collection_id: attempt.payment_collection_id })
      .whereRaw(`data->>'partner_trans_id' = ?`, [attempt.partner_trans_id])
      .select("id", "payment_session_id")
  }

  /**
   * Live Medusa payments of the attempt's collection made with anything else (another attempt,
   * another provider): a cart is paid once, so any of them makes this attempt a second payment.
   */
  otherMedusaPaymentsIn(
    attempt: Pick<Attempt, "partner_trans_id" | "payment_collection_id">,
    db: Knex = this.db
  ): Promise<{ id: string; partner_trans_id: string | null }[]> {
    return db("payment")
      .whereNull("deleted_at")
      .whereNull("canceled_at")
      .where({ payment_collection_id: attempt.payment_collection_id })
      .whereRaw(`coalesce(data->>'partner_trans_id', '') <> ?`, [attempt.partner_trans_id])
      .select("id", this.db.raw(`data->>'partner_trans_id' as partner_trans_id`))
  }

  /** The provider and payment collection of a Medusa payment session, deleted or not. */
  async retrieveSessionOwner(sessionId: string): Promise<{ provider_id: string; payment_collection_id: string }> {
    const row = await this.db("payment_session").where({ id: sessionId }).first("provider_id", "payment_collection_id")
    if (!row) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `payment session ${sessionId} was not found`)
    }
    return row
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
    const [payment] = await this.medusaPaymentsUsing(attempt)
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

  listRefunds(attemptId: string): Promise<RefundRow[]> {
    return this.refunds.clone().where({ attempt_id: attemptId }).orderBy("created_at", "asc")
  }

  async findRefund(key: string): Promise<RefundRow | null> {
    return (await this.refunds.clone().where({ key }).first()) ?? null
  }

  async retrieveRefund(id: string): Promise<RefundRow> {
    const row = await this.refunds.clone().where({ id }).first()
    if (!row) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `PaySys refund ${id} was not found`)
    }
    return row
  }

  /** Records a refund before it is sent; a second one in flight for the attempt is a conflict. */
  async createRefund(
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
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) {
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
  listUnbookedRefunds(attemptId: string, settledMs: number): Promise<RefundRow[]> {
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
  async bookRefund(row: RefundRow, medusaRefundId: string): Promise<boolean> {
    const updated = await this.db("paysys_refund")
      .where({ id: row.id })
      .where((q) => (row.booked_as === null ? q.whereNull("booked_as") : q.where("booked_as", row.booked_as)))
      .update({ booked_as: medusaRefundId, updated_at: new Date() })
    return updated === 1
  }

  /** Deletes a refund row whose call PaySys refused unread (HTTP 429): nothing was done, and it may be sent again. */
  async forgetUnsentRefund(id: string): Promise<void> {
    await this.db("paysys_refund").where({ id, state: "sending" }).delete()
  }

  /** Writes a change of the refund row; its event, if any, must be one the state machine allows now. */
  async updateRefund(id: string, change: RefundChange): Promise<RefundRow> {
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
      throw new IllegalTransitionError("PaySys refund", id, (await this.retrieveRefund(id)).state, event)
    }
    return moved
  }
}

export function entry(event: string, status?: number | null, detail?: string | null): HistoryEntry {
  return {
    at: new Date().toISOString(),
    event,
    ...(status !== undefined ? { status } : {}),
    ...(detail ? { detail } : {}),
  }
}

/** What an admin user did, for the history. */
export function actorEntry(event: string, actor: string | null | undefined, detail?: string | null): HistoryEntry {
  return { ...entry(event, undefined, detail), actor: actor ?? null }
}

/** The attempt number in `<session id>-<n>`. */
export function attemptNumber(partnerTransId: string): number {
  return Number(/-(\d+)$/.exec(partnerTransId)?.[1] ?? 0)
}
