import type { Knex } from "knex"
import { createHash } from "node:crypto"
import { generateEntityId } from "@medusajs/framework/utils"
import { toPaysysAmount } from "./money"

/** A payment session that pays with a saved card, as Medusa holds it now. */
export type SavedCardCharge = {
  session_id: string
  /** the card the session's data names */
  saved_card_id?: string | null
  /** what pay_by_id would send: the session data's amount (minor units) and currency */
  amount?: string | null
  currency?: string | null
}

/** Why a saved-card session may not be charged (409) or not by this shopper (403). */
export type BindingProblem = { status: 403 | 409; message: string }

/** The cart address fields that say where an order ships; the digest covers exactly these. */
const SHIPPING_ADDRESS_FIELDS = [
  "first_name",
  "last_name",
  "company",
  "address_1",
  "address_2",
  "city",
  "province",
  "postal_code",
  "country_code",
  "phone",
] as const

const CHOOSE_AGAIN = "choose the saved card again while signed in"

/**
 * The `paysys_saved_card_session` table: what a signed-in customer chose to pay with a saved card,
 * for which total and shipping address. Completing the cart sends pay_by_id (no 3-D Secure), so
 * whoever holds the cart id must not be able to complete it for another customer, to another
 * address or for another total. Reads Medusa's tables (payment session, collection, cart and its
 * address) through the connection every module shares, as the provider cannot reach other modules.
 */
export class SavedCardBinding {
  constructor(private readonly db: Knex) {}

  /** Records the session's card, customer, total and the cart's shipping address as they are now. */
  async record(input: {
    session_id: string
    saved_card_id: string
    customer_id: string
    amount: string
    currency: string
  }) {
    const cart = await this.cartOfSession(input.session_id)
    await this.db("paysys_saved_card_session").insert({
      id: generateEntityId(undefined, "pscses"),
      ...input,
      cart_id: cart?.cart_id ?? null,
      shipping_address_digest: shippingAddressDigest(cart),
    })
  }

  /** The cart's sessions that pay with a saved card (of either age: legacy ones have no binding). */
  async savedCardSessionsOfCart(cartId: string): Promise<SavedCardCharge[]> {
    const { rows } = await this.db.raw(
      `select ps.id as session_id, ps.data->>'saved_card_id' as saved_card_id, ps.data->>'amount' as amount, ps.data->>'currency' as currency
         from cart_payment_collection l
         join payment_session ps on ps.payment_collection_id = l.payment_collection_id and ps.deleted_at is null
        where l.cart_id = ? and l.deleted_at is null and ps.data->>'saved_card_id' is not null`,
      [cartId]
    )
    return rows
  }

  /**
   * Whether the session may be charged now: it was bound when made, to this card, and its amount,
   * Medusa's amount of it, the cart's total and the cart's shipping address are still those it
   * was made for. A changed total or address means the customer confirms again (a new session).
   */
  async chargeProblem(charge: SavedCardCharge): Promise<BindingProblem | null> {
    const binding = await this.bindingOf(charge.session_id)
    if (!binding || binding.saved_card_id !== charge.saved_card_id) {
      return {
        status: 409,
        message: `This payment with a saved card was not confirmed by its customer: ${CHOOSE_AGAIN}`,
      }
    }
    const medusa = await this.medusaAmountsOf(charge.session_id)
    const amounts = [
      charge.amount,
      ...medusa.map(({ value, currency_code }) => toPaysysAmount(value, currency_code).amount),
    ]
    if (charge.currency !== binding.currency || amounts.some((amount) => amount !== binding.amount)) {
      return { status: 409, message: `The cart's total changed since the saved card was chosen: ${CHOOSE_AGAIN}` }
    }
    if (shippingAddressDigest(await this.cartOfSession(charge.session_id)) !== binding.shipping_address_digest) {
      return {
        status: 409,
        message: `The cart's shipping address changed since the saved card was chosen: ${CHOOSE_AGAIN}`,
      }
    }
    return null
  }

  /**
   * Why a paid saved-card attempt may not complete its cart: the cart's total or shipping address
   * is no longer the one its session was bound to (pay_by_id was sent, then the cart changed:
   * completing it would ship to an address the card's owner never chose). Null when both are the
   * same, or when the session has no binding (made before bindings were recorded).
   */
  async cartChangedSince(sessionId: string, cartId: string, attempt: { amount: string; currency: string }) {
    const binding = await this.bindingOf(sessionId)
    if (!binding) {
      return null
    }
    if (binding.amount !== attempt.amount || binding.currency !== attempt.currency) {
      return "cart_total_changed"
    }
    const { rows } = await this.db.raw(
      `select ${SHIPPING_ADDRESS_FIELDS.map((field) => `a.${field}`).join(", ")}
         from cart c left join cart_address a on a.id = c.shipping_address_id and a.deleted_at is null
        where c.id = ?`,
      [cartId]
    )
    return shippingAddressDigest(rows[0] ?? null) === binding.shipping_address_digest
      ? null
      : "shipping_address_changed"
  }

  /** Whether `customerId` (the signed-in customer, if any) may complete a cart paying with this session's card. */
  async completerProblem(
    charge: SavedCardCharge,
    customerId: string | null | undefined
  ): Promise<BindingProblem | null> {
    const refused = {
      status: 403,
      message: "This cart pays with a saved card: only the signed-in customer who owns the card can complete it",
    } as const
    const binding = await this.bindingOf(charge.session_id)
    if (!customerId || !binding || binding.customer_id !== customerId) {
      return refused
    }
    const owned = await this.db("paysys_saved_card")
      .whereNull("deleted_at")
      .where({ id: binding.saved_card_id, customer_id: customerId })
      .first("id")
    return owned ? null : refused
  }

  private async bindingOf(sessionId: string) {
    return this.db("paysys_saved_card_session")
      .whereNull("deleted_at")
      .where({ session_id: sessionId })
      .first("saved_card_id", "customer_id", "amount", "currency", "shipping_address_digest")
  }

  /** Medusa's amount of the session and of its collection (the cart's total), major units. */
  private async medusaAmountsOf(sessionId: string): Promise<{ value: string; currency_code: string }[]> {
    const { rows } = await this.db.raw(
      `select ps.raw_amount->>'value' as session_amount, ps.currency_code, pc.raw_amount->>'value' as collection_amount,
              pc.currency_code as collection_currency
         from payment_session ps join payment_collection pc on pc.id = ps.payment_collection_id
        where ps.id = ?`,
      [sessionId]
    )
    const row = rows[0]
    if (!row) {
      return []
    }
    return [
      { value: row.session_amount, currency_code: row.currency_code },
      { value: row.collection_amount, currency_code: row.collection_currency },
    ]
  }

  /** The cart holding the session's payment collection, with its shipping address. */
  private async cartOfSession(
    sessionId: string
  ): Promise<(Record<string, string | null> & { cart_id: string }) | null> {
    const { rows } = await this.db.raw(
      `select c.id as cart_id, ${SHIPPING_ADDRESS_FIELDS.map((field) => `a.${field}`).join(", ")}
         from payment_session ps
         join cart_payment_collection l on l.payment_collection_id = ps.payment_collection_id and l.deleted_at is null
         join cart c on c.id = l.cart_id and c.deleted_at is null
         left join cart_address a on a.id = c.shipping_address_id and a.deleted_at is null
        where ps.id = ?`,
      [sessionId]
    )
    return rows[0] ?? null
  }
}

/** sha256 of the shipping address's fields (trimmed, case kept); no cart or no address digests as all empty. */
export function shippingAddressDigest(address: Record<string, string | null | undefined> | null): string {
  const fields = SHIPPING_ADDRESS_FIELDS.map((field) => (address?.[field] ?? "").trim())
  return createHash("sha256").update(JSON.stringify(fields)).digest("hex")
}
