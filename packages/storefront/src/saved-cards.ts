import { CardBrand, CardInputFields } from "../../../src/paysys/card-rules"
import { assertSafeConfirmUrl, assertValidCard, PaysysSdk, routeError } from "./checkout"

/*
 * A signed-in customer's saved cards (the plugin's /store/paysys/cards routes). Saving takes the
 * card once, with 3-D Secure on PaySys's page; PaySys then confirms the card to the plugin, and
 * only then is it listed.
 */

export type SavedCard = { id: string; data: { masked_pan: string; brand: CardBrand | null; expiry: string } }
export type PendingCard = { id: string; status: string; masked_pan: string; brand: CardBrand | null; expiry: string }

export async function listSavedCards(sdk: PaysysSdk): Promise<SavedCard[]> {
  const { cards } = await sdk.client.fetch<{ cards: SavedCard[] }>("/store/paysys/cards")
  return cards
}

/** Starts saving a card: answers it (pending) and the 3-D Secure page, to open for the shopper (checked: https). */
export async function saveCard(
  sdk: PaysysSdk,
  card: CardInputFields
): Promise<{ card: PendingCard; confirmUrl: string }> {
  assertValidCard(card)
  try {
    const { card: pending, confirm_url } = await sdk.client.fetch<{ card: PendingCard; confirm_url: string }>(
      "/store/paysys/cards",
      {
        method: "POST",
        body: card,
      }
    )
    assertSafeConfirmUrl(confirm_url)
    return { card: pending, confirmUrl: confirm_url }
  } catch (error) {
    throw routeError(error)
  }
}

/** Resolves with the card once PaySys has confirmed it (it is listed), or null after `timeoutMs`. */
export async function waitForSavedCard(
  sdk: PaysysSdk,
  cardId: string,
  options: { timeoutMs?: number; intervalMs?: number; signal?: AbortSignal } = {}
): Promise<SavedCard | null> {
  const deadline = Date.now() + (options.timeoutMs ?? 180_000)
  while (!options.signal?.aborted) {
    const card = (await listSavedCards(sdk)).find((listed) => listed.id === cardId)
    if (card) {
      return card
    }
    if (Date.now() >= deadline) {
      return null
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 1500))
  }
  return null
}

/** Removes the card at PaySys and in the store. */
export async function removeSavedCard(sdk: PaysysSdk, cardId: string): Promise<void> {
  await sdk.client.fetch(`/store/paysys/cards/${cardId}`, { method: "DELETE" })
}
