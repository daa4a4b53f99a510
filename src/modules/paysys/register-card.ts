import { cardBrand, maskPan, PaysysClient } from "../../paysys"
import type { CardDetails } from "."
import { SavedCardStore, SavedCardView } from "./saved-card-store"

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
