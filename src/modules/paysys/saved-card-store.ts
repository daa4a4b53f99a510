import type { Knex } from "knex"
import { generateEntityId, MedusaError } from "@medusajs/framework/utils"
import { redactCardNumbers } from "../../paysys"
import { TokenCipher } from "./token-cipher"

/** What anyone may see of a saved card: never the token. */
export type SavedCardView = {
  id: string
  card_id: string
  customer_id: string
  status: "pending" | "active" | "failed" | "removed"
  masked_pan: string
  brand: string | null
  expiry: string | null
}

const VIEW_COLUMNS = ["id", "card_id", "customer_id", "status", "masked_pan", "brand", "expiry"]

export type CardRegistrationOutcome = "card_saved" | "card_failed" | "unknown_card" | "ignored" | "saving_disabled"

/**
 * The `paysys_saved_card` table (defined by the plugin's module). The payment provider,
 * which lives inside Medusa's Payment Module and cannot call the plugin's module, reaches
 * it through the database connection every module shares; the module uses it too, so all
 * the SQL on saved cards is here. Tokens go in encrypted and come out only to be sent to PaySys.
 */
export class SavedCardStore {
  /** `cardTokenKey` unset: cards can be listed and removed, not saved. */
  static from(db: Knex, cardTokenKey: string | undefined): SavedCardStore {
    return new SavedCardStore(db, cardTokenKey ? new TokenCipher(cardTokenKey) : null)
  }

  constructor(
    private readonly db: Knex,
    private readonly cipher: TokenCipher | null
  ) {}

  /** Saving needs the key that encrypts tokens; listing and removing do not. */
  assertSavingEnabled(): void {
    if (!this.cipher) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "Saving cards is off: set the plugin's cardTokenKey option")
    }
  }

  private get table() {
    return this.db("paysys_saved_card").whereNull("deleted_at")
  }

  async createPending(card: Omit<SavedCardView, "id" | "status">): Promise<SavedCardView> {
    const [row] = await this.db("paysys_saved_card")
      .insert({ id: generateEntityId(undefined, "pscard"), status: "pending", ...card })
      .returning(VIEW_COLUMNS)
    return row
  }

  listActive(customerId: string): Promise<SavedCardView[]> {
    return this.table
      .clone()
      .where({ customer_id: customerId, status: "active" })
      .orderBy("created_at", "desc")
      .select(VIEW_COLUMNS)
  }

  /** A card of this customer only: another customer's card id is as good as unknown. */
  async findOwned(id: string, customerId: string): Promise<SavedCardView | null> {
    const row = await this.table
      .clone()
      .where({ id, customer_id: customerId })
      .whereNot({ status: "removed" })
      .first(VIEW_COLUMNS)
    return row ?? null
  }

  /** What pay_by_id and remove_card_token need. Never put it anywhere but a PaySys request. */
  async credentialsOf(id: string): Promise<{ card_id: string; token: string } | null> {
    const row = await this.table.clone().where({ id, status: "active" }).first("card_id", "token_encrypted")
    if (!row?.token_encrypted || !this.cipher) {
      return null
    }
    const token = this.cipher.decrypt(row.token_encrypted, id)
    if (!this.cipher.isCurrent(row.token_encrypted)) {
      // written before tokens were tied to their row: tied now, once
      await this.table
        .clone()
        .where({ id, token_encrypted: row.token_encrypted })
        .update({ token_encrypted: this.cipher.encrypt(token, id) })
    }
    return { card_id: row.card_id, token }
  }

  /** partner.notify SUCCESS: only a card we registered and did not remove becomes usable. */
  async activate(cardId: string, token: string, pan: string): Promise<CardRegistrationOutcome> {
    if (!this.cipher) {
      return "saving_disabled"
    }
    const row = await this.table.clone().where({ card_id: cardId }).whereIn("status", ["pending", "failed"]).first("id")
    if (!row) {
      return this.outcomeForUnchanged(cardId)
    }
    const updated = await this.table
      .clone()
      .where({ id: row.id })
      .whereIn("status", ["pending", "failed"])
      .update({
        status: "active",
        // the row's id as associated data: the token decrypts in this row only
        token_encrypted: this.cipher.encrypt(token, row.id),
        masked_pan: redactCardNumbers(pan),
        error_code: null,
        error_message: null,
        activated_at: new Date(),
        updated_at: new Date(),
      })
    return updated ? "card_saved" : this.outcomeForUnchanged(cardId)
  }

  /** partner.notify ERROR: a pending registration failed. */
  async fail(cardId: string, code: number, message: string): Promise<CardRegistrationOutcome> {
    const updated = await this.table
      .clone()
      .where({ card_id: cardId, status: "pending" })
      .update({ status: "failed", error_code: code, error_message: message, updated_at: new Date() })
    return updated ? "card_failed" : this.outcomeForUnchanged(cardId)
  }

  /**
   * Registrations whose 3-D Secure was not passed before `createdBefore`: failed and deleted, so
   * that abandoned (or card-testing) registrations do not pile up, and a late confirmation
   * finds no card to activate. Answers how many.
   */
  async expirePending(createdBefore: Date): Promise<number> {
    const now = new Date()
    return this.table.clone().where({ status: "pending" }).where("created_at", "<", createdBefore).update({
      status: "failed",
      error_message: "expired: 3-D Secure not passed in time",
      updated_at: now,
      deleted_at: now,
    })
  }

  /** The token is wiped: a removed card can never be charged again. */
  async markRemoved(id: string): Promise<void> {
    await this.table.clone().where({ id }).update({ status: "removed", token_encrypted: null, updated_at: new Date() })
  }

  private async outcomeForUnchanged(cardId: string): Promise<CardRegistrationOutcome> {
    const row = await this.table.clone().where({ card_id: cardId }).first("id")
    return row ? "ignored" : "unknown_card"
  }
}
