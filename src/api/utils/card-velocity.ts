import { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { CaptchaRequiredError, PaymentKeys, TooManyAttemptsError } from "../../modules/paysys/card-velocity"
import { cartOfCollection } from "../../workflows/cart-of-collection"

/**
 * Runs a velocity check; a refusal is answered (see answerVelocityRefusal) and gives false, so
 * the route stops there.
 */
export async function admitted(res: MedusaResponse, check: () => Promise<void>): Promise<boolean> {
  try {
    await check()
    return true
  } catch (error) {
    if (answerVelocityRefusal(res, error)) {
      return false
    }
    throw error
  }
}

/**
 * Answers a refusal of the card-testing defences: 429 with Retry-After, or 428 asking for a
 * CAPTCHA token. Stable `type`s for the storefront; nothing was sent to PaySys or written.
 * Answers false for any other error.
 */
function answerVelocityRefusal(res: MedusaResponse, error: unknown): boolean {
  if (error instanceof TooManyAttemptsError) {
    res.setHeader("Retry-After", String(error.retryAfterSeconds))
    res.status(429).json({ type: "too_many_attempts", message: error.message, retry_after: error.retryAfterSeconds })
    return true
  }
  if (error instanceof CaptchaRequiredError) {
    res.status(428).json({ type: "captcha_required", message: error.message })
    return true
  }
  return false
}

/** The client, payment session, cart and customer a card payment on this session is counted against. */
export async function paymentKeysOfSession(req: MedusaRequest, clientIp: string, sessionId: string): Promise<PaymentKeys> {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data: sessions } = await query.graph({
    entity: "payment_session",
    fields: ["id", "payment_collection_id"],
    filters: { id: sessionId },
  })
  const collectionId = sessions[0]?.payment_collection_id
  const cartId = collectionId ? await cartOfCollection(req.scope, collectionId) : null
  const { data: carts } = cartId
    ? await query.graph({ entity: "cart", fields: ["id", "customer_id"], filters: { id: cartId } })
    : { data: [] }
  return { ip: clientIp, session: sessionId, cart: cartId, customer: carts[0]?.customer_id }
}
