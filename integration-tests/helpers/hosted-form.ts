import axios from "axios"
import { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

/** The sandbox's form credentials (src/sandbox/options.ts), which medusa-config.ts defaults to. */
export const FORM_VENDOR_ID = "101234"
export const FORM_SECRET = "sandbox-form-secret"
/** The sandbox form's test cards (src/sandbox/form-cards.ts) and its SMS code. */
export const FORM_CARDS = { uzcard: "8600000000000001", humo: "9860000000000001" }
export const FORM_SMS_CODE = "123456"

/**
 * The shopper on the sandbox's form page, over HTTP: the signed fields -> card number and expiry
 * -> SMS code (the sandbox sends Pay and waits for its answer). Answers the result page.
 */
export async function payOnForm(formUrl: string, fields: Record<string, string>, number = FORM_CARDS.uzcard): Promise<string> {
  const post = (url: string, body: Record<string, string>) =>
    axios.post(url, new URLSearchParams(body).toString(), {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      maxRedirects: 0,
      validateStatus: () => true,
    })
  const opened = await post(formUrl, fields)
  expect(opened.status).toBe(303)
  const page = new URL(opened.headers.location, formUrl).toString()
  expect((await post(`${page}/card`, { card_number: number, card_expiry: "12/30" })).headers.location).toMatch(/\/form\//)
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
