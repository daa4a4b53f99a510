import axios, { AxiosInstance } from "axios"
import { PaysysClient } from "../../src/paysys"
import { SeededStore } from "../../scripts/seed-store"

export const STOREFRONT_URL = "http://localhost:8000"

export const CARDS = {
  visa: "4111111111111111",
  mastercard: "5555555555554444",
  mir: "2200000000000004",
  declined: "4000000000000002",
  insufficientFunds: "4000000000009995",
  threeDsFails: "4000000000000101",
}
export const THREE_DS_CODE = "123456"

/** A card number as it may be written: run together, or with spaces, dashes or both between any digits. */
export function anyFormOf(number: string): RegExp {
  return new RegExp(number.split("").join("[\\s-]*"))
}

/** "4111-1111-1111-1111" */
export function dashed(number: string): string {
  return number.replace(/(\d{4})(?=\d)/g, "$1-")
}

export function card(number: string, overrides: Record<string, unknown> = {}) {
  return {
    card_holder_name: "Aziz Karimov",
    card_number: number,
    card_expiry: "12/30",
    card_cvc: "737",
    redirect_url: `${STOREFRONT_URL}/checkout/paysys-return`,
    ...overrides,
  }
}

/** The storefront's side of a checkout, through the real store API. */
export class Storefront {
  constructor(
    private readonly api: AxiosInstance,
    private readonly store: SeededStore
  ) {}

  get headers() {
    return { headers: { "x-publishable-api-key": this.store.publishableKey } }
  }

  /** A cart with an address and a shipping method, ready for payment. */
  async cartReadyForPayment(currency: "uzs" | "usd", items: { variantId: string; quantity: number }[]) {
    const countryCode = currency === "uzs" ? "uz" : "kz"
    const { data } = await this.api.post(
      "/store/carts",
      {
        region_id: this.store.regions[currency],
        email: "shopper@example.uz",
        items: items.map((item) => ({ variant_id: item.variantId, quantity: item.quantity })),
        shipping_address: {
          first_name: "Aziz",
          last_name: "Karimov",
          address_1: "Navoi 10",
          city: "Tashkent",
          country_code: countryCode,
          postal_code: "100000",
        },
      },
      this.headers
    )
    await this.api.post(
      `/store/carts/${data.cart.id}/shipping-methods`,
      { option_id: this.store.shippingOptions[currency] },
      this.headers
    )
    return this.cart(data.cart.id)
  }

  async cart(cartId: string) {
    const { data } = await this.api.get(`/store/carts/${cartId}`, this.headers)
    return data.cart
  }

  /** Creates the cart's payment collection (if needed) and a payment session of a PaySys provider. */
  async startPaysysSession(cartId: string, providerId = "pp_paysys_paysys", data?: Record<string, unknown>) {
    const cart = await this.cart(cartId)
    const collectionId =
      cart.payment_collection?.id ??
      (await this.api.post("/store/payment-collections", { cart_id: cartId }, this.headers)).data.payment_collection.id
    const { data: answer } = await this.api.post(
      `/store/payment-collections/${collectionId}/payment-sessions`,
      { provider_id: providerId, ...(data ? { data } : {}) },
      this.headers
    )
    return answer.payment_collection.payment_sessions.find((s: { provider_id: string }) => s.provider_id === providerId)
  }

  /** Posts the card; resolves with the response whatever its status. */
  postCard(sessionId: string, body: Record<string, unknown>) {
    return this.api.post(`/store/paysys/payment-sessions/${sessionId}/card`, body, {
      ...this.headers,
      validateStatus: () => true,
    })
  }

  /** A new cart whose card was posted: the shopper is on the 3-D Secure page. */
  async cartAtThreeDs(number = CARDS.visa) {
    const cart = await this.cartReadyForPayment("uzs", [{ variantId: this.store.products[1].variantId, quantity: 1 }])
    const session = await this.startPaysysSession(cart.id)
    const posted = await this.postCard(session.id, card(number))
    expect(posted.status).toBe(200)
    return { cart, session, confirmUrl: posted.data.confirm_url as string, partnerTransId: `${session.id}-1` }
  }

  /** A cart paid by card and completed: its order and its Medusa payment, read as the admin. */
  async paidOrder(admin: { headers: Record<string, string> }) {
    const paid = await this.cartAtThreeDs()
    await passThreeDs(paid.confirmUrl, { code: THREE_DS_CODE })
    const completed = await this.complete(paid.cart.id)
    expect(completed.data.type).toBe("order")
    const { data } = await this.api.get(
      `/admin/orders/${completed.data.order.id}?fields=*payment_collections.payments`,
      admin
    )
    return {
      ...paid,
      orderId: completed.data.order.id as string,
      payment: data.order.payment_collections[0].payments[0],
    }
  }

  /** as a guest, or as the signed-in customer whose headers are given (a cart paying with a saved card) */
  complete(cartId: string, as: { headers: Record<string, string> } = this.headers) {
    return this.api.post(`/store/carts/${cartId}/complete`, {}, { ...as, validateStatus: () => true })
  }
}

/**
 * Plays the shopper on the sandbox's 3-D Secure page over HTTP: loads the form, submits
 * it with a code (or presses Cancel), and returns where the page redirects to.
 */
export async function passThreeDs(confirmUrl: string, outcome: { code: string } | "cancel") {
  const page = await axios.get<string>(confirmUrl, { responseType: "text" })
  const action = /<form[^>]*action="([^"]*)"/i.exec(page.data)?.[1]
  const formUrl = new URL(action ? action.replace(/&amp;/g, "&") : confirmUrl, confirmUrl).toString()
  const form = new URLSearchParams(
    outcome === "cancel" ? { action: "cancel" } : { code: outcome.code, action: "confirm" }
  )
  const response = await axios.post(formUrl, form.toString(), {
    headers: { "content-type": "application/x-www-form-urlencoded" },
    maxRedirects: 0,
    validateStatus: () => true,
  })
  return { status: response.status, location: response.headers.location as string | undefined, page: page.data }
}

/** The sandbox's control API, to inspect PaySys's side and inject faults. */
export function sandboxControl() {
  // the control API takes writes as JSON only, a body or not
  return axios.create({
    baseURL: `${process.env.PAYSYS_SANDBOX_URL}/__sandbox`,
    headers: { "Content-Type": "application/json" },
  })
}

/** PaySys (the sandbox) reached the way the plugin reaches it: its own view of a payment. */
export function sandboxPaysysClient() {
  return new PaysysClient({
    gatewayUrl: process.env.PAYSYS_GATEWAY_URL!,
    serviceId: "sandbox-service",
    secretKey: "sandbox-secret",
  })
}
