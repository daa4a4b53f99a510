import {
  InitiatePaymentInput,
  InitiatePaymentOutput,
  UpdatePaymentInput,
  UpdatePaymentOutput,
} from "@medusajs/framework/types"
import { MedusaError, PaymentSessionStatus } from "@medusajs/framework/utils"
import { toPaysysPaymentAmount } from "../../modules/paysys/money"
import { CardProviderContext } from "./card-context"
import { ownedCard } from "./saved-card-methods"
import { cardSessionData, partnerTransIdFor, PaysysSessionData } from "./session-data"
import { toMedusaError } from "./to-medusa-error"

/** A new session: its first attempt's id; with a saved card, the card bound to the session. */
export async function newCardSession(
  ctx: CardProviderContext,
  { amount, currency_code, data, context }: InitiatePaymentInput
): Promise<InitiatePaymentOutput> {
  const money = paymentAmount(amount, currency_code)
  const sessionId = typeof data?.session_id === "string" ? data.session_id : null
  if (!sessionId) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "PaySys needs the payment session id to start a payment")
  }
  const sessionData: PaysysSessionData = {
    session_id: sessionId,
    partner_trans_id: partnerTransIdFor(sessionId, 1),
    attempt: 1,
    ...money,
    client_ip: typeof data?.client_ip === "string" ? data.client_ip : null,
    refunds: [],
  }
  if (typeof data?.saved_card_id === "string") {
    // the customer comes from the request's authentication (Medusa's store route), never from the data
    const customerId = context?.customer?.id
    const card = await ownedCard(ctx, data.saved_card_id, customerId)
    if (card.status !== "active") {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Saved card ${card.id} is ${card.status}, not ready to pay`)
    }
    Object.assign(sessionData, { saved_card_id: card.id, card_masked: card.masked_pan })
    await ctx.savedCardSessions.record({
      session_id: sessionId,
      saved_card_id: card.id,
      customer_id: customerId!,
      ...money,
    })
    // nothing more to ask the shopper: completing the cart charges the card
    return { id: sessionData.partner_trans_id, data: sessionData, status: PaymentSessionStatus.PENDING }
  }
  // waiting for the shopper's card is `pending`, as Medusa's default and Stripe's fresh intent;
  // `requires_more` is for an action asked in the middle of a payment (3-D Secure)
  return { id: sessionData.partner_trans_id, data: sessionData, status: PaymentSessionStatus.PENDING }
}

/** The amount may change before the card is posted; once an attempt is at PaySys it is fixed. */
export function updatedCardSession({ amount, currency_code, data }: UpdatePaymentInput): UpdatePaymentOutput {
  const current = cardSessionData(data)
  const money = paymentAmount(amount, currency_code)
  const changed = money.amount !== current.amount || money.currency !== current.currency
  if (changed && current.submitted_at) {
    // the next card submission opens a new attempt with the new amount
    return {
      data: {
        ...current,
        ...money,
        submitted_at: null,
        transaction_id: null,
        confirm_url: null,
        paysys_status: null,
      },
      status: PaymentSessionStatus.PENDING,
    }
  }
  return { data: { ...current, ...money } }
}

function paymentAmount(amount: InitiatePaymentInput["amount"], currencyCode: string) {
  try {
    return toPaysysPaymentAmount(amount, currencyCode)
  } catch (error) {
    throw toMedusaError(error, "take this payment")
  }
}
