import { AxiosInstance } from "axios"
import { passThreeDs, THREE_DS_CODE } from "./checkout"
import { waitFor } from "./wait"

/** A real customer: registered and signed in through Medusa's emailpass auth routes. */
export async function signUpCustomer(api: AxiosInstance, publishableKey: string, email: string) {
  const password = "supersecret-customer"
  const key = { "x-publishable-api-key": publishableKey }
  const registered = await api.post("/auth/customer/emailpass/register", { email, password })
  await api.post(
    "/store/customers",
    { email, first_name: "Aziz", last_name: "Karimov" },
    { headers: { ...key, authorization: `Bearer ${registered.data.token}` } }
  )
  const { data } = await api.post("/auth/customer/emailpass", { email, password })
  return { headers: { ...key, authorization: `Bearer ${data.token}` } }
}

/**
 * Registers a card with 3-D Secure through the store API; resolves once PaySys's
 * partner.notify was applied (the card is active or failed).
 */
export async function registerCard(
  api: AxiosInstance,
  dbConnection: any,
  customer: { headers: Record<string, string> },
  cardBody: Record<string, unknown>,
  code = THREE_DS_CODE
) {
  const started = await api.post("/store/paysys/cards", cardBody, { ...customer, validateStatus: () => true })
  if (started.status !== 201) {
    return { started, id: null, row: null }
  }
  await passThreeDs(started.data.confirm_url, { code })
  const { rows } = await waitFor("partner.notify applied", async () => {
    const result = await dbConnection.raw(
      `select status, card_id, token_encrypted from paysys_saved_card where id = ?`,
      [started.data.card.id]
    )
    return result.rows[0]?.status !== "pending" ? result : null
  })
  return {
    started,
    id: started.data.card.id as string,
    row: rows[0] as { status: string; card_id: string; token_encrypted: string | null },
  }
}
