import axios from "axios"
import { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { PAYSYS_FORM_PROVIDER_ID, SeededStore } from "../../scripts/seed-store"
import { STOREFRONT_URL, Storefront } from "./checkout"
import { waitFor } from "./wait"

/** The sandbox's form credentials (packages/sandbox/src/options.ts), which medusa-config.ts defaults to. */
export const FORM_VENDOR_ID = "101234"
export const FORM_SECRET = "sandbox-form-secret"
/** The sandbox form's test cards (packages/sandbox/src/form-cards.ts) and its SMS code. */
export const FORM_CARDS = { uzcard: "8600000000000001", humo: "9860000000000001" }
export const FORM_SMS_CODE = "123456"

/**
 * The shopper on the sandbox's form page, over HTTP: the signed fields -> card number and expiry
 * -> SMS code (the sandbox sends Pay and waits for its answer). Answers the result page.
 */
export async function payOnForm(
  formUrl: string,
  fields: Record<string, string>,
  number = FORM_CARDS.uzcard
): Promise<string> {
  const post = (url: string, body: Record<string, string>) =>
    axios.post(url, new URLSearchParams(body).toString(), {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      maxRedirects: 0,
      validateStatus: () => true,
    })
  const opened = await post(formUrl, fields)
  expect(opened.status).toBe(303)
  const page = new URL(opened.headers.location, formUrl).toString()
  expect((await post(`${page}/card`, { card_number: number, card_expiry: "12/30" })).headers.location).toMatch(
    /\/form\//
  )
  const result = await post(`${page}/sms`, { code: FORM_SMS_CODE })
  expect(result.status).toBe(200)
  return result.data as string
}

/** The order a cart became, if it became one. */
export async function orderOfCart(container: MedusaContainer, cartId: string): Promise<string | null> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "order_cart", fields: ["order_id"], filters: { cart_id: cartId } })
  return data[0]?.order_id ?? null
}

/** A cart paid on the sandbox's form: its order placed by Notify 2, and the ledger's attempt. */
export async function paidFormOrder(
  storefront: Storefront,
  store: SeededStore,
  container: MedusaContainer,
  dbConnection: any
) {
  const cart = await storefront.cartReadyForPayment("uzs", [{ variantId: store.products[0].variantId, quantity: 1 }])
  const session = await storefront.startPaysysSession(cart.id, PAYSYS_FORM_PROVIDER_ID, {
    return_url: `${STOREFRONT_URL}/checkout/paysys-return`,
  })
  await payOnForm(session.data.form_url, session.data.form_fields)
  const orderId = await waitFor("the order placed by Notify 2", () => orderOfCart(container, cart.id))
  const partnerTransId = `${session.id}-1`
  const row = await waitFor("the attempt captured", async () => {
    const { rows } = await dbConnection.raw(
      `select state, agr_trans_id, vendor_trans_id from paysys_attempt where partner_trans_id = ?`,
      [partnerTransId]
    )
    return rows[0]?.state === "captured" && rows[0]
  })
  return { orderId, partnerTransId, agrTransId: String(row.agr_trans_id), vendorTransId: Number(row.vendor_trans_id) }
}
