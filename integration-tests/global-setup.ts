import type { Config } from "@jest/types"
import { freePort, startDatabase } from "../scripts/postgres"
import { startPaysysSandbox } from "paysys-sandbox"

/**
 * One PostgreSQL (embedded unless DB_HOST/DATABASE_URL is set) for the whole run, and a PaySys
 * sandbox for each jest worker: suites running side by side each inject their own faults and
 * hold their own callbacks. A worker's Medusa apps listen on its PORT, where its sandbox sends
 * the notifications; setup.js gives each worker its own (PAYSYS_TEST_WORKERS, by JEST_WORKER_ID).
 * The sandboxes run here, in jest's parent process, beside the apps rather than on their thread.
 */
export default async function globalSetup(globalConfig: Config.GlobalConfig) {
  const database = await startDatabase()
  Object.assign(process.env, database.env)
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
  ;(globalThis as any).__PAYSYS_TEST_RESOURCES__ = { database, sandboxes }
  console.log(
    `\n[tests] PostgreSQL ${database.embedded ? "embedded" : "configured"} at ${database.env.DB_HOST}:${database.env.DB_PORT}; ` +
      `${workers} PaySys sandbox(es) at ${sandboxes.map((s) => s.url).join(", ")}`
  )
}
