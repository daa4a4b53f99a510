import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { randomBytes } from "node:crypto"
import { ensureDatabase } from "../../demo/database"
import { configuredDatabase } from "../../scripts/postgres"

/**
 * Medusa's test runner on a copy of the database global-setup.ts migrated for the whole run,
 * made before the runner creates the suite's (it keeps a database that exists). Migrating a new
 * one for each suite took seconds of CPU, most of it PostgreSQL's. The runner still runs the
 * migrations and the link sync, which then find nothing to do, or fail as they would have.
 */
export function integrationTestRunner(options: Parameters<typeof medusaIntegrationTestRunner>[0]) {
  const template = process.env.PAYSYS_TEST_DATABASE_TEMPLATE!
  const dbName = `${template}-${randomBytes(4).toString("hex")}`
  return medusaIntegrationTestRunner({
    ...options,
    dbName,
    hooks: {
      ...options.hooks,
      beforeServerStart: async (container) => {
        await ensureDatabase(configuredDatabase()!, dbName, template)
        await options.hooks?.beforeServerStart?.(container)
      },
    },
  })
}
