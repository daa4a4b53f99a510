import type { Config } from "@jest/types"
import { randomBytes } from "node:crypto"
import { mkdirSync } from "node:fs"
import path from "node:path"
import { databaseClient, dropDatabase, ensureDatabase } from "../demo/database"
import { MedusaOutput, runMedusaCommand } from "../demo/medusa-cli"
import { REPO_ROOT } from "../demo/shared"
import { DatabaseEnv, databaseUrl, freePort, startDatabase } from "../scripts/postgres"
import { startPaysysSandbox } from "paysys-sandbox"

/**
 * One PostgreSQL (embedded unless DB_HOST/DATABASE_URL is set) for the whole run, and a PaySys
 * sandbox for each jest worker: suites running side by side each inject their own faults and
 * hold their own callbacks. A worker's Medusa apps listen on its PORT, where its sandbox sends
 * the notifications; setup.js gives each worker its own (PAYSYS_TEST_WORKERS, by JEST_WORKER_ID).
 * The sandboxes run here, in jest's parent process, beside the apps rather than on their thread.
 * Medusa's migrations run here once, into a database each suite's is a copy of
 * (helpers/test-runner.ts).
 */
export default async function globalSetup(globalConfig: Config.GlobalConfig) {
  const database = await startDatabase()
  Object.assign(process.env, database.env)
  const template = `paysys-tests-${randomBytes(4).toString("hex")}`
  await migrateDatabase(database.env, template)
  process.env.PAYSYS_TEST_DATABASE_TEMPLATE = template
  const workers = Math.max(1, globalConfig.maxWorkers)
  const sandboxes = []
  const perWorker: Record<string, Record<string, string>> = {}
  for (let id = 1; id <= workers; id++) {
    const medusaPort = await freePort()
    const sandbox = await startPaysysSandbox({
      port: 0,
      notifyUrl: `http://localhost:${medusaPort}/hooks/paysys`,
      merchantApiUrl: `http://localhost:${medusaPort}/hooks/paysys-form`,
    })
    sandboxes.push(sandbox)
    perWorker[id] = {
      PORT: String(medusaPort),
      PAYSYS_GATEWAY_URL: sandbox.gatewayUrl,
      PAYSYS_SANDBOX_URL: sandbox.url,
    }
  }
  process.env.PAYSYS_TEST_WORKERS = JSON.stringify(perWorker)
  // in band, the suites run in this process: the first worker's
  Object.assign(process.env, perWorker[1])
  // suites post many cards from one address; those testing the card-testing defences turn them on
  process.env.PAYSYS_LIMITS ??= JSON.stringify({ enabled: false })
  ;(globalThis as any).__PAYSYS_TEST_RESOURCES__ = { database, template, sandboxes }
  console.log(
    `\n[tests] PostgreSQL ${database.embedded ? "embedded" : "configured"} at ${database.env.DB_HOST}:${database.env.DB_PORT}; ` +
      `${workers} PaySys sandbox(es) at ${sandboxes.map((s) => s.url).join(", ")}`
  )
}

/**
 * What Medusa's test runner does to a new database, by Medusa's CLI: the modules' migrations and
 * the links (the runner runs no migration scripts, which would seed a store).
 */
async function migrateDatabase(env: DatabaseEnv, name: string) {
  await ensureDatabase(env, name)
  // beside the suites' logs
  const logs = path.join(REPO_ROOT, "test-artifacts", "logs")
  mkdirSync(logs, { recursive: true })
  const output = new MedusaOutput(path.join(logs, "migrate.log"))
  try {
    await runMedusaCommand(
      `medusa db:migrate of ${name}`,
      ["db:migrate", "--skip-scripts", "--execute-safe-links"],
      { ...process.env, DATABASE_URL: databaseUrl(env, name), NODE_OPTIONS: "" },
      output
    )
  } catch (error) {
    await dropDatabase(env, name)
    throw error
  } finally {
    await output.end()
  }
  // Medusa's payment module stores the providers of the config it loads with and keeps them when
  // another config leaves them out: each suite's app stores its own (form-only.spec.ts has no card's)
  const client = await databaseClient(env, name)
  await client.connect()
  try {
    await client.query("DELETE FROM payment_provider")
  } finally {
    await client.end()
  }
}
