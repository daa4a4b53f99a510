import { AxiosInstance } from "axios"

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
