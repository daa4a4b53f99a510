import type { StoreCart } from "./medusa-types"
import type { PaysysSdk } from "./checkout"
import { PaysysCheckoutError } from "./errors"
import { PAYSYS_FORM_PROVIDER_ID } from "./provider-ids"

/**
 * Where the shopper's browser posts, and what: PaySys's form URL and the fields the server signed.
 * `widget`: only with the provider's option `useWidget`, PaySys's checkout.js (unverified) and the
 * URL it posts the same fields to, for a storefront that shows PaySys's button instead.
 */
export type PaysysForm = {
  formUrl: string
  fields: Record<string, string>
  widget?: { scriptUrl: string; formUrl: string }
}

/**
 * Starts a payment on PaySys's hosted form, for stores without PCI DSS (and for UzCard and HUMO):
 * the shopper types the card on PaySys's page, never on the store's. `returnUrl` is where PaySys's
 * "back to the store" link goes: one of the store's origins; coming back proves nothing, so the
 * return page completes the cart (completePaysysCart) and Medusa asks PaySys.
 */
export async function startPaysysFormSession(
  sdk: PaysysSdk,
  cart: StoreCart,
  options: { returnUrl: string; providerId?: string; headers?: Record<string, string> }
): Promise<PaysysForm> {
  const providerId = options.providerId ?? PAYSYS_FORM_PROVIDER_ID
  const { payment_collection } = await sdk.store.payment.initiatePaymentSession(
    cart,
    { provider_id: providerId, data: { return_url: options.returnUrl } },
    {},
    options.headers
  )
  return paysysFormOf(payment_collection.payment_sessions?.find((session) => session.provider_id === providerId))
}

/** The form of a hosted-form payment session. */
export function paysysFormOf(session: { data?: Record<string, unknown> | null } | undefined): PaysysForm {
  const formUrl = session?.data?.form_url
  const fields = session?.data?.form_fields
  if (typeof formUrl !== "string" || !fields || typeof fields !== "object") {
    throw new PaysysCheckoutError("unavailable", "This payment session has no PaySys form to go to")
  }
  const widget = session?.data?.widget as { script_url?: unknown; form_url?: unknown } | null | undefined
  return {
    formUrl,
    fields: Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, String(value)])),
    ...(typeof widget?.script_url === "string" && typeof widget.form_url === "string"
      ? { widget: { scriptUrl: widget.script_url, formUrl: widget.form_url } }
      : {}),
  }
}

/** Sends the shopper to PaySys's form: a full-page POST of the signed fields, as PaySys asks. */
export function goToPaysysForm(form: PaysysForm, doc: Document = document): void {
  const element = doc.createElement("form")
  element.method = "POST"
  element.action = form.formUrl
  for (const [name, value] of Object.entries(form.fields)) {
    const input = doc.createElement("input")
    input.type = "hidden"
    input.name = name
    input.value = value
    element.appendChild(input)
  }
  doc.body.appendChild(element)
  element.submit()
}
