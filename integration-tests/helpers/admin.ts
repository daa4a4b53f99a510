import { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createUserAccountWorkflow } from "@medusajs/medusa/core-flows"
import axios, { AxiosInstance } from "axios"

export const ADMIN_EMAIL = "admin@paysys.test"
export const ADMIN_PASSWORD = "supersecret-admin"

/**
 * A real admin: registered and logged in through Medusa's emailpass auth routes,
 * so tests exercise the same authentication the dashboard uses.
 */
export async function loginAdmin(api: AxiosInstance, container: MedusaContainer) {
  const auth = container.resolve(Modules.AUTH)
  const [existing] = await auth.listAuthIdentities({ provider_identities: { entity_id: ADMIN_EMAIL } } as any)
  if (!existing) {
    await api.post("/auth/user/emailpass/register", { email: ADMIN_EMAIL, password: ADMIN_PASSWORD })
    const [identity] = await auth.listAuthIdentities({ provider_identities: { entity_id: ADMIN_EMAIL } } as any)
    await createUserAccountWorkflow(container).run({
      input: { authIdentityId: identity.id, userData: { email: ADMIN_EMAIL } },
    })
  }
  const { data } = await api.post("/auth/user/emailpass", { email: ADMIN_EMAIL, password: ADMIN_PASSWORD })
  return { headers: { authorization: `Bearer ${data.token}` } }
}

/** An admin API client for a Medusa server of its own (the demo's), logged in with emailpass. */
export async function adminClient(
  medusaUrl: string,
  admin: { email: string; password: string }
): Promise<AxiosInstance> {
  const { data } = await axios.post(`${medusaUrl}/auth/user/emailpass`, admin)
  return axios.create({ baseURL: medusaUrl, headers: { authorization: `Bearer ${data.token}` } })
}
