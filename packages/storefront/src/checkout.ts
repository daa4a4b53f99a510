import type { Client, ClientHeaders, Store } from "@medusajs/js-sdk"
import type { StoreCart, StoreOrder, StorePaymentSession } from "./medusa-types"
import { CARD_DECLINED } from "../../../src/paysys/card-declined"
import { CardInputFields, cardProblems } from "../../../src/paysys/card-rules"
import { CONFIRM_URL_RULE, isSafeConfirmUrl } from "../../../src/paysys/confirm-url"
import { PaysysCheckoutError, problemsFromRouteMessage, statusOf } from "./errors"
import { isPaysysProviderId, PAYSYS_PROVIDER_ID } from "./provider-ids"
import { PaysysMessages, paysysMessages } from "./messages"

/*
 * The PaySys checkout as functions over @medusajs/js-sdk:
 *
 *   payWithCard(sdk, cart, card, { returnUrl })   -> the bank's 3-D Secure page (goToThreeDSecure)
 *   completePaysysCart(sdk, cartId)               -> on the return page (paysysReturnCartId): the order, or PaySys's reason
 *   payWithSavedCard(sdk, cart, savedCardId)      -> the order, or PaySys's reason (no 3-D Secure)
 *
 * The card goes from the shopper's form to the plugin's route and nowhere else: no function here
 * keeps it.
 */

/**
 * What the kit uses of the SDK (a `new Medusa({...})`), by the SDK's named exports: its default
 * export is not a type in a Node ESM file (the SDK's ESM build carries CommonJS-looking types).
 */
export type PaysysSdk = { client: Client; store: Store }

/** What the plugin puts in `payment_session.data` and `payment.data` (see the README). */
export type PaysysPaymentData = {
  partner_trans_id?: string
  attempt?: number
  paysys_status?: number | null
  confirm_url?: string | null
  card_masked?: string | null
  rrn?: string | null
  approval_code?: string | null
  transaction_id?: string | number | null
  saved_card_id?: string | null
  /** `card_declined` and a plain message; PaySys's own code and reason only with the plugin's detailedDeclines option */
  error?: { code: number | string; message: string } | null
}

export type PaysysOutcome =
  | { type: "order"; order: StoreOrder }
  /**
   * not paid: `reason` is the plugin's (data.error.message) or Medusa's; the cart takes another card.
   * `code` RETURN_NO_CART, RETURN_NOT_STARTED or RETURN_NOT_PAID: the kit's own reasons, which PaysysReturn shows in the shopper's language
   */
  | { type: "declined"; reason: string; code?: number | string }
  /** PaySys has not decided yet (the shopper left 3-D Secure unfinished?): try again later */
  | { type: "pending" }

/** The return page found no cart to complete: none in this tab or cookie, or Medusa does not know it (completed and gone). */
export const RETURN_NO_CART = "no_cart"
/** The cart has no PaySys payment: the shopper came to the return page without paying (a bookmark, another tab). */
export const RETURN_NOT_STARTED = "payment_not_started"
/** PaySys has no payment for the session and no reason: left or declined on PaySys's page, which tells the store nothing. */
export const RETURN_NOT_PAID = "not_paid"

/** `headers`: extra request headers, e.g. a server-side storefront's customer auth header */
type ProviderOption = { providerId?: string; headers?: ClientHeaders }

export function paysysSessionOf(cart: StoreCart, providerId = PAYSYS_PROVIDER_ID): StorePaymentSession | undefined {
  return cart.payment_collection?.payment_sessions?.find((session) => session.provider_id === providerId)
}

/** The cart's session of the card provider or of the hosted form, whichever the shopper paid with. */
function anyPaysysSessionOf(cart: StoreCart): StorePaymentSession | undefined {
  return cart.payment_collection?.payment_sessions?.find((session) => isPaysysProviderId(session.provider_id))
}

export function paysysDataOf(session: { data?: Record<string, unknown> | null } | undefined): PaysysPaymentData {
  return (session?.data ?? {}) as PaysysPaymentData
}

/**
 * The cart's PaySys payment session, created when it has none for its current total. A declined
 * card is retried on the same session (each card is a new attempt at PaySys). A session for a
 * saved card is always new: it carries the card's id.
 */
export async function startPaysysSession(
  sdk: PaysysSdk,
  cart: StoreCart,
  options: ProviderOption & { savedCardId?: string } = {}
): Promise<StorePaymentSession> {
  const providerId = options.providerId ?? PAYSYS_PROVIDER_ID
  const existing = paysysSessionOf(cart, providerId)
  if (!options.savedCardId && existing && existing.amount === cart.total && !paysysDataOf(existing).saved_card_id) {
    return existing
  }
  const { payment_collection } = await sdk.store.payment.initiatePaymentSession(
    cart,
    { provider_id: providerId, ...(options.savedCardId ? { data: { saved_card_id: options.savedCardId } } : {}) },
    {},
    options.headers
  )
  return payment_collection.payment_sessions!.find((session) => session.provider_id === providerId)!
}

/** The return URL's parameter: an opaque reference to the cart, never its id. */
export const PAYSYS_RETURN_PARAM = "paysys_return"
const RETURN_STORAGE_PREFIX = "paysys-return:"

/** Where the browser tab keeps which cart a return reference stands for (sessionStorage by default). */
export type PaysysReturnStorage = Pick<Storage, "getItem" | "setItem">

/**
 * The return page's address for a cart. The cart id must not travel in it: PaySys and the bank see
 * the URL (and may log it), and a cart id with the store's publishable key is enough to act on the
 * cart. An opaque random reference goes instead, and the tab's sessionStorage keeps which cart it
 * stands for: it survives the round trip through the bank's page in the same tab, where the cart
 * cookie of many storefronts (SameSite=Strict) is not sent. Without sessionStorage (on a server)
 * the URL is left as is: the return page finds the cart as it always does (the cart cookie, in a
 * server action once the page has loaded).
 */
export function paysysReturnUrl(
  returnPageUrl: string,
  cartId: string,
  storage: PaysysReturnStorage | null = tabStorage()
): string {
  const url = new URL(returnPageUrl)
  if (storage) {
    const reference = randomReference()
    storage.setItem(RETURN_STORAGE_PREFIX + reference, cartId)
    url.searchParams.set(PAYSYS_RETURN_PARAM, reference)
  }
  return url.toString()
}

/** On the return page: the cart paysysReturnUrl's reference stands for in this tab, or null (another tab, no reference). */
export function paysysReturnCartId(
  returnUrl: string,
  storage: PaysysReturnStorage | null = tabStorage()
): string | null {
  const reference = new URL(returnUrl).searchParams.get(PAYSYS_RETURN_PARAM)
  return reference && storage ? storage.getItem(RETURN_STORAGE_PREFIX + reference) : null
}

function tabStorage(): PaysysReturnStorage | null {
  try {
    return typeof sessionStorage === "undefined" ? null : sessionStorage
  } catch {
    // storage disabled by the browser's settings
    return null
  }
}

function randomReference(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, "0")).join("")
}

/** The card rules, before anything is sent: throws a PaysysCheckoutError naming every bad field. */
export function assertValidCard(card: CardInputFields): void {
  const problems = cardProblems(card)
  if (problems.length) {
    throw new PaysysCheckoutError("invalid_card", problems.map((found) => found.message).join("; "), problems)
  }
}

/**
 * Posts the card for a PaySys session; answers the bank's 3-D Secure page. `redirectUrl` must
 * be on an origin of the store's CORS settings (or the plugin's allowedRedirectOrigins).
 * `captchaToken`: the token of the store's CAPTCHA widget (Turnstile, hCaptcha), once the route
 * asked for one (a PaysysCheckoutError of kind captcha_required).
 */
export async function submitCard(
  sdk: PaysysSdk,
  sessionId: string,
  card: CardInputFields,
  redirectUrl: string,
  headers?: ClientHeaders,
  captchaToken?: string
): Promise<{ confirmUrl: string }> {
  assertValidCard(card)
  try {
    const { confirm_url } = await sdk.client.fetch<{ confirm_url: string }>(
      `/store/paysys/payment-sessions/${sessionId}/card`,
      {
        method: "POST",
        body: { ...card, redirect_url: redirectUrl, ...(captchaToken ? { captcha_token: captchaToken } : {}) },
        headers,
      }
    )
    return { confirmUrl: confirm_url }
  } catch (error) {
    throw routeError(error)
  }
}

/**
 * Card checkout, first half: the cart's session, the card to PaySys; answers where 3-D Secure is.
 * PaySys sends the shopper back to `returnUrl` with an opaque reference (paysysReturnUrl).
 */
export async function payWithCard(
  sdk: PaysysSdk,
  cart: StoreCart,
  card: CardInputFields,
  options: ProviderOption & { returnUrl: string; captchaToken?: string }
): Promise<{ confirmUrl: string }> {
  assertValidCard(card)
  const session = await startPaysysSession(sdk, cart, options)
  return submitCard(
    sdk,
    session.id,
    card,
    paysysReturnUrl(options.returnUrl, cart.id),
    options.headers,
    options.captchaToken
  )
}

/**
 * Sends the shopper to the bank's 3-D Secure page (browser only). `target`: another window's
 * location (a popup opened for saving a card). Anything but https (http on localhost, the
 * sandbox) is refused: a `javascript:` URL would run in the store's page.
 */
export function goToThreeDSecure(confirmUrl: string, target: Pick<Location, "assign"> = window.location): void {
  assertSafeConfirmUrl(confirmUrl)
  target.assign(confirmUrl)
}

/** Throws unless the 3-D Secure URL is safe to open (see isSafeConfirmUrl). */
export function assertSafeConfirmUrl(confirmUrl: string): void {
  if (!isSafeConfirmUrl(confirmUrl)) {
    throw new PaysysCheckoutError("unavailable", `The 3-D Secure address ${CONFIRM_URL_RULE}`)
  }
}

/**
 * The return page (after 3-D Secure or PaySys's hosted form), and the end of a saved-card
 * payment: completes the cart, which makes the plugin ask PaySys for the payment's status (the
 * return itself proves nothing). While PaySys has not decided yet, or has and its notification
 * is placing the order meanwhile, tries again (`attempts` times, `retryDelayMs` apart).
 * Without `providerId`, the cart's session of either PaySys provider is read. No cart id, a cart
 * Medusa does not know, or one without a PaySys payment: a decline with the kit's own code and words.
 */
export async function completePaysysCart(
  sdk: PaysysSdk,
  cartId: string | null | undefined,
  options: ProviderOption & { attempts?: number; retryDelayMs?: number } = {}
): Promise<PaysysOutcome> {
  const noCart = { type: "declined", code: RETURN_NO_CART, reason: paysysMessages("en").noCart } as const
  if (!cartId) {
    return noCart
  }
  const attempts = options.attempts ?? 5
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const result = await sdk.store.cart.complete(cartId, {}, options.headers)
      if (result.type === "order") {
        return { type: "order", order: result.order }
      }
    } catch {
      // not completed: the cart's session says why, below
    }
    let cart: StoreCart
    try {
      cart = (
        await sdk.store.cart.retrieve(cartId, { fields: "id,*payment_collection.payment_sessions" }, options.headers)
      ).cart
    } catch (error) {
      // Medusa's 404 names the cart id: the shopper gets plain words instead
      if (statusOf(error) === 404) {
        return noCart
      }
      throw error
    }
    const session = options.providerId ? paysysSessionOf(cart, options.providerId) : anyPaysysSessionOf(cart)
    if (!session) {
      // Medusa says "Payment collection has not been initiated for cart" or the like: not the shopper's words
      return { type: "declined", code: RETURN_NOT_STARTED, reason: paysysMessages("en").notStarted }
    }
    const data = paysysDataOf(session)
    if (data.error) {
      return { type: "declined", reason: data.error.message, code: data.error.code }
    }
    // 0, 1: not decided; 2: paid, and PaySys's notification completes the cart meanwhile (409)
    const undecided = data.paysys_status === 0 || data.paysys_status === 1 || data.paysys_status === 2
    if (!undecided) {
      // Medusa's "Session: payses_... was not authorized with the provider": not the shopper's words
      return { type: "declined", code: RETURN_NOT_PAID, reason: paysysMessages("en").notPaid }
    }
    if (attempt < attempts) {
      await sleep(options.retryDelayMs ?? 2000)
    }
  }
  return { type: "pending" }
}

/** A decline's reason in the shopper's language when it is one of the kit's own, else as PaySys or Medusa gave it. */
export function declineReason(outcome: { reason: string; code?: number | string }, text: PaysysMessages): string {
  if (outcome.code === RETURN_NO_CART) {
    return text.noCart
  }
  if (outcome.code === RETURN_NOT_STARTED) {
    return text.notStarted
  }
  if (outcome.code === RETURN_NOT_PAID) {
    return text.notPaid
  }
  return outcome.reason
}

/**
 * Pays the cart with a card the signed-in customer saved: the cart is theirs first, then a
 * session carrying the card's id, then completing it (PaySys's pay_by_id, no 3-D Secure).
 */
export async function payWithSavedCard(
  sdk: PaysysSdk,
  cart: StoreCart,
  savedCardId: string,
  options: ProviderOption & { attempts?: number; retryDelayMs?: number } = {}
): Promise<PaysysOutcome> {
  const owned = cart.customer_id ? cart : (await sdk.store.cart.transferCart(cart.id, {}, options.headers)).cart
  await startPaysysSession(sdk, owned, { ...options, savedCardId })
  return completePaysysCart(sdk, cart.id, options)
}

/**
 * The route's answer as a PaysysCheckoutError: 400 names fields or says the card was declined,
 * 409 paid already, 429 too many attempts, 428 a CAPTCHA token needed, 502 PaySys away.
 */
export function routeError(error: unknown): unknown {
  const status = statusOf(error)
  const message = messageOf(error)
  if (status === 400 && message === CARD_DECLINED.message) {
    return new PaysysCheckoutError("card_declined", message)
  }
  if (status === 429) {
    return new PaysysCheckoutError("too_many_attempts", message)
  }
  if (status === 428) {
    return new PaysysCheckoutError("captcha_required", message)
  }
  if (status === 400) {
    return new PaysysCheckoutError("invalid_card", message, problemsFromRouteMessage(message))
  }
  if (status === 409) {
    return new PaysysCheckoutError("already_paid", message)
  }
  if (status === 502 || status === 503 || status === 504) {
    return new PaysysCheckoutError("unavailable", message)
  }
  return error
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
