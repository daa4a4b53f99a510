import { freePort, startDatabase } from "../scripts/postgres"
import { startPaysysSandbox } from "paysys-sandbox"

/**
 * One PostgreSQL (embedded unless DB_HOST/DATABASE_URL is set) and one PaySys sandbox for
 * the whole run. Medusa apps booted by the suites listen on PORT, where the sandbox sends
 * its notifications. Env set here reaches the suites (jest runs them in band).
 */
export default async function globalSetup() {
  const database = await startDatabase()
  Object.assign(process.env, database.env)
  const medusaPort = await freePort()
  process.env.PORT = String(medusaPort)
  const sandbox = await startPaysysSandbox({
    port: 0,
    notifyUrl: `http://localhost:${medusaPort}/hooks/paysys`,
    merchantApiUrl: `http://localhost:${medusaPort}/hooks/paysys-form`,
  })
  process.env.PAYSYS_GATEWAY_URL = sandbox.gatewayUrl
  process.env.PAYSYS_SANDBOX_URL = sandbox.url
  // suites post many cards from one address; those testing the card-testing defences turn them on
  process.env.PAYSYS_LIMITS ??= JSON.stringify({ enabled: false })
  ;(globalThis as any).__PAYSYS_TEST_RESOURCES__ = { database, sandbox }
  console.log(
    `\n[tests] PostgreSQL ${database.embedded ? "embedded" : "configured"} at ${database.env.DB_HOST}:${database.env.DB_PORT}; PaySys sandbox at ${sandbox.url}`
  )
}
