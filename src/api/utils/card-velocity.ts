import { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, PaymentSessionStatus } from "@medusajs/framework/utils"
import { PAYSYS_MODULE, PaysysModuleService } from "../../modules/paysys"
import { CaptchaRequiredError, PaymentKeys, TooManyAttemptsError } from "../../modules/paysys/card-velocity"
import { readSessionData } from "../../providers/paysys/session-data"
import { clientIp } from "./client-ip"
import { isCardProviderId } from "../../providers/provider-ids"

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

/** The cart and customer a card payment on this session is counted against, besides its client, session and card. */
export async function paymentKeysOfSession(
  req: MedusaRequest,
  sessionId: string
): Promise<Pick<PaymentKeys, "cart" | "customer">> {
  const { data } = await req.scope.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "payment_session",
    fields: ["payment_collection.cart.id", "payment_collection.cart.customer_id"],
    filters: { id: sessionId },
  })
  const cart = (
    data[0] as { payment_collection?: { cart?: { id: string; customer_id: string | null } | null } } | undefined
  )?.payment_collection?.cart
  return { cart: cart?.id, customer: cart?.customer_id }
}

/** Sessions a completion may still charge: the provider's authorizePayment sends pay_by_id for them. */
const CHARGEABLE: string[] = [
  PaymentSessionStatus.PENDING,
  PaymentSessionStatus.REQUIRES_MORE,
  PaymentSessionStatus.ERROR,
]

type CartSessions = {
  customer_id: string | null
  payment_collection?: {
    payment_sessions?: { id: string; provider_id: string; status: string; data: Record<string, unknown> }[]
  }
}

/**
 * POST /store/carts/:id/complete of a cart whose PaySys session pays with a saved card: the
 * completion charges it (pay_by_id), so it counts against the card payment limits, the saved
 * card's id standing for the card; a decline costs more, once the completion has answered.
 * Other completions pass untouched.
 */
export async function limitSavedCardPayments(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  const paysys = req.scope.resolve<PaysysModuleService>(PAYSYS_MODULE)
  const velocity = paysys.cardVelocity()
  const { data } = velocity
    ? await req.scope.resolve(ContainerRegistrationKeys.QUERY).graph({
        entity: "cart",
        fields: ["customer_id", "payment_collection.payment_sessions.*"],
        filters: { id: req.params.id },
      })
    : { data: [] }
  const cart = data[0] as CartSessions | undefined
  const session = cart?.payment_collection?.payment_sessions?.find(
    (candidate) => isCardProviderId(candidate.provider_id) && CHARGEABLE.includes(candidate.status)
  )
  const savedCardId = session && readSessionData(session.data)?.saved_card_id
  if (!velocity || !session || !savedCardId) {
    return next()
  }
  const keys: PaymentKeys = {
    ip: clientIp(req),
    session: session.id,
    cart: req.params.id,
    customer: cart?.customer_id,
    card: savedCardId,
  }
  if (!(await admitted(res, () => velocity.admitSavedCardPayment(keys)))) {
    return
  }
  const startedAt = new Date()
  res.on("finish", () => {
    paysys.ledger
      .listSessionAttempts(session.id)
      .then((attempts) => attempts.some((attempt) => attempt.created_at >= startedAt && attempt.state === "failed"))
      .then((declined) => (declined ? velocity.recordDecline(keys) : undefined))
      .catch((error) =>
        req.scope
          .resolve(ContainerRegistrationKeys.LOGGER)
          .warn(`PaySys saved-card decline not counted: ${error.message}`)
      )
  })
  next()
}
