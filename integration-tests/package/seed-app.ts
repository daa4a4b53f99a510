import { writeFileSync } from "node:fs"
import { ExecArgs } from "@medusajs/framework/types"
import { seedStore } from "../../scripts/seed-store"

/*
 * `medusa exec` script for the fresh app of installed-package.spec.ts: seeds the tests' store
 * through the app's own Medusa and writes it as JSON to PAYSYS_SEED_RESULT. The spec copies
 * this file and scripts/seed-store.ts into the app at the same relative paths, so their
 * `@medusajs/*` imports resolve to the app's packages, not this repository's.
 */
export default async function seedApp({ container }: ExecArgs) {
  const store = await seedStore(container)
  writeFileSync(process.env.PAYSYS_SEED_RESULT!, JSON.stringify(store))
}
