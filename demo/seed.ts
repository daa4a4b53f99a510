import { writeFileSync } from "node:fs"
import { ExecArgs, MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createUserAccountWorkflow } from "@medusajs/medusa/core-flows"
import { seedStore } from "../scripts/seed-store"
import { DEMO_ADMIN, DemoSeedResult } from "./shared"

/*
 * The demo's seed, run by stack.ts with `medusa exec demo/seed.ts` after the migrations.
 * Idempotent: the store is seeded (scripts/seed-store.ts) only when the database has none,
 * and the admin user is created only when it does not exist. Writes what the demo needs
 * (the publishable key) as JSON to the file named by DEMO_SEED_RESULT.
 */

/** The title seed-store.ts gives the publishable key: how a seeded database is recognised. */
const SEEDED_KEY_TITLE = "Webshop"
const SEEDED_PRODUCT_HANDLE = "suzani-cushion"

export default async function seedDemo({ container }: ExecArgs) {
  const output = process.env.DEMO_SEED_RESULT
  const adminEmail = process.env.DEMO_ADMIN_EMAIL || DEMO_ADMIN.email
  const adminPassword = process.env.DEMO_ADMIN_PASSWORD || DEMO_ADMIN.password

  let publishableKey = await existingPublishableKey(container)
  const storeSeeded = !publishableKey
  if (!publishableKey) {
    publishableKey = (await seedStore(container)).publishableKey
  }
  const adminCreated = await ensureAdmin(container, adminEmail, adminPassword)

  const result: DemoSeedResult = { publishableKey, storeSeeded, adminCreated }
  if (output) {
    writeFileSync(output, JSON.stringify(result, null, 2))
  } else {
    console.log(JSON.stringify(result))
  }
}

/** The seeded store's publishable key; null on an empty database; throws on a half-seeded one. */
async function existingPublishableKey(container: MedusaContainer): Promise<string | null> {
  const apiKeys = container.resolve(Modules.API_KEY)
  const products = container.resolve(Modules.PRODUCT)
  const regions = container.resolve(Modules.REGION)
  const key = (await apiKeys.listApiKeys({ title: SEEDED_KEY_TITLE, type: "publishable" })).find((k) => !k.revoked_at)
  const [product] = await products.listProducts({ handle: SEEDED_PRODUCT_HANDLE })
  const [region] = await regions.listRegions({ currency_code: "uzs" })
  if (key && product) {
    return key.token
  }
  if (key || product || region) {
    throw new Error(
      "the demo database holds part of a seed (an earlier first run was interrupted?): " +
        "delete the demo's data directory (.demo-data) or drop its database, then run the demo again"
    )
  }
  return null
}

/** Creates the admin (emailpass identity + user) unless it exists; true when created. */
async function ensureAdmin(container: MedusaContainer, email: string, password: string): Promise<boolean> {
  const auth = container.resolve(Modules.AUTH)
  const [existing] = await auth.listAuthIdentities({ provider_identities: { entity_id: email } } as any)
  if (existing) {
    return false
  }
  const { authIdentity, error } = await auth.register("emailpass", { body: { email, password } })
  if (error || !authIdentity) {
    throw new Error(`could not create the admin user ${email}: ${error ?? "no identity"}`)
  }
  await createUserAccountWorkflow(container).run({
    input: { authIdentityId: authIdentity.id, userData: { email } },
  })
  return true
}
