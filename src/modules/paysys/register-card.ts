import { cardBrand, maskPan, PaysysClient } from "../../paysys"
import { SavedCardStore, SavedCardView } from "./saved-card-store"

/** A card as the store routes validated it. It is passed on to PaySys and dropped. */
export type CardDetails = {
  card_holder_name: string
  card_number: string
  card_expiry: { month: string; year: string }
  card_cvc: string
}

/**
 * Starts saving a card: mir.card_registration (card_expire is YY/MM there) and a pending
 * card row; the shopper then passes 3-D Secure and PaySys's partner.notify activates it.
 */
export async function registerCard(
  client: PaysysClient,
  store: SavedCardStore,
  account: string,
  card: CardDetails
): Promise<{ card: SavedCardView; confirm_url: string }> {
  const { card_number, card_expiry, card_cvc, card_holder_name } = card
  const registered = await client.registerCard({
    card_number,
    card_expire: `${card_expiry.year}/${card_expiry.month}`,
    card_cvc,
    card_holder: card_holder_name,
    account,
  })
  const saved = await store.createPending({
    card_id: registered.card_id,
    customer_id: account,
    masked_pan: maskPan(card_number),
    brand: cardBrand(card_number),
    expiry: `${card_expiry.month}/${card_expiry.year}`,
  })
  return { card: saved, confirm_url: registered.confirm_url }
}
