import {
  CreateAccountHolderInput,
  CreateAccountHolderOutput,
  DeletePaymentMethodInput,
  DeletePaymentMethodOutput,
  ListPaymentMethodsInput,
  ListPaymentMethodsOutput,
  SavePaymentMethodInput,
  SavePaymentMethodOutput,
} from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { registerCard } from "../../modules/paysys/register-card"
import { CardProviderContext } from "./card-context"
import { savedCardInput } from "./saved-card-input"
import { toMedusaError } from "./to-medusa-error"

// a customer's saved cards, as Medusa's account holders and payment methods

export function createAccountHolder({ context }: CreateAccountHolderInput): CreateAccountHolderOutput {
  if (context.account_holder?.data?.account) {
    return { id: String(context.account_holder.data.account), data: context.account_holder.data }
  }
  if (!context.customer) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "A PaySys account holder needs a customer")
  }
  // PaySys has no customer object: mir.card_registration's `account` names the customer
  return { id: context.customer.id, data: { account: context.customer.id } }
}

export async function listPaymentMethods(
  ctx: CardProviderContext,
  { context }: ListPaymentMethodsInput
): Promise<ListPaymentMethodsOutput> {
  const account = accountOf(context)
  if (!account) {
    return []
  }
  const cards = await ctx.savedCards.listActive(account)
  return cards.map(({ id, masked_pan, brand, expiry }) => ({ id, data: { masked_pan, brand, expiry } }))
}

/** Starts saving a card: mir.card_registration, then 3-D Secure; partner.notify completes it. */
export async function savePaymentMethod(
  ctx: CardProviderContext,
  { context, data }: SavePaymentMethodInput
): Promise<SavePaymentMethodOutput> {
  const account = accountOf(context)
  if (!account) {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "Only a signed-in customer can save a card")
  }
  ctx.savedCards.assertSavingEnabled()
  const card = savedCardInput.safeParse(data)
  if (!card.success) {
    const issue = card.error.issues[0]
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `${issue.path.join(".")}: ${issue.message}`)
  }
  try {
    const { card: saved, confirm_url } = await registerCard(ctx.client, ctx.savedCards, account, card.data)
    const { id, status, masked_pan, brand, expiry } = saved
    return { id, data: { status, masked_pan, brand, expiry, confirm_url } }
  } catch (error) {
    throw toMedusaError(error, "register the card")
  }
}

/** Removes the token at PaySys (mir.remove_card_token) and wipes ours. Own cards only. */
export async function deletePaymentMethod(
  ctx: CardProviderContext,
  { context, data }: DeletePaymentMethodInput
): Promise<DeletePaymentMethodOutput> {
  const card = await ownedCard(ctx, data.id, accountOf(context))
  const credentials = await ctx.savedCards.credentialsOf(card.id)
  if (credentials) {
    await ctx.client.removeCardToken({ card_id: credentials.card_id, card_token: credentials.token }).catch((error) => {
      // the token is wiped here anyway: without it this store can never charge the card again
      ctx.logger.warn(`PaySys did not remove card ${card.id}'s token (${error.message}); removed here`)
    })
  }
  await ctx.savedCards.markRemoved(card.id)
  return {}
}

/** A card of this customer, or an error: another customer's card id is as good as unknown. */
export async function ownedCard(ctx: CardProviderContext, id: string, customerId: string | null | undefined) {
  if (!customerId) {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "Sign in to use a saved card")
  }
  const card = await ctx.savedCards.findOwned(id, customerId)
  if (!card) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Saved card ${id} was not found`)
  }
  return card
}

/** The PaySys `account` of the customer behind an account holder. */
function accountOf(context: { account_holder?: { data?: Record<string, unknown> } } | undefined): string | null {
  const account = context?.account_holder?.data?.account
  return typeof account === "string" && account ? account : null
}
