import type { Knex } from "knex"
import { MedusaError } from "@medusajs/framework/utils"
import { Attempt } from "./ledger-types"

/**
 * How long a cart completion that claimed a paid attempt has to write its Medusa payment (Medusa
 * writes it as soon as the provider answers). Meanwhile no other attempt of the cart can be
 * claimed; a claim whose completion failed stops counting after this.
 */
export const CLAIM_HOLDS_MS = 60_000

/**
 * What holds a cart's payment collection: the claims of cart completions on paid attempts, and
 * Medusa's own payments and sessions, read from Medusa's tables so that a payment made a moment
 * ago counts before anything here learned of it.
 */
export class CollectionClaims {
  constructor(private readonly db: Knex) {}

  /**
   * A cart completion takes this paid attempt: false when a reversal has started on it, or when
   * another attempt of its cart pays it (rivalOf). The shopper's completion and reconciliation's
   * may each hold a different paid attempt of one cart: only one of them may become its payment.
   */
  async claim(partnerTransId: string): Promise<boolean> {
    const attempt: Pick<Attempt, "partner_trans_id" | "payment_collection_id"> | undefined = await this.db(
      "paysys_attempt"
    )
      .where({ partner_trans_id: partnerTransId })
      .whereNull("deleted_at")
      .first("partner_trans_id", "payment_collection_id")
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
}
