import { ChildProcess } from "node:child_process"
import { createHash } from "node:crypto"
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import net from "node:net"
import path from "node:path"
import { databaseUrl } from "../scripts/postgres"
import { PaysysSandbox, startPaysysSandbox } from "paysys-sandbox"
import { databaseNameFor, DEMO_DATABASE, ensureDatabase, startPostgres } from "./database"
import { forkMedusa, MedusaOutput, runMedusaCommand } from "./medusa-cli"
import {
  childEnv,
  DEFAULT_DATA_DIR,
  DEMO_ADMIN,
  DemoError,
  DemoSeedResult,
  REPO_ROOT,
  sleep,
  stopChild,
} from "./shared"
import { buildStorefront, serveStorefront, StorefrontServer } from "./storefront-server"

export { databaseNameFor, DEFAULT_DATA_DIR, DemoError }

/*
 * The whole plugin working on one machine: PostgreSQL, the PaySys sandbox (its card gateway and
 * its hosted form, which calls Medusa's /hooks/paysys-form), Medusa with this plugin (both
 * providers) and the admin dashboard, and the storefront checkout in demo/storefront.
 *
 *   const demo = await startDemoStack({ log: console.log })
 *   ... demo.storefrontUrl, demo.adminUrl, demo.admin.email / password ...
 *   await demo.stop()
 *
 * Medusa is this repository booted as an app (its medusa-config.ts), run with its own CLI in
 * child processes: `medusa db:migrate`, `medusa exec demo/seed.ts`, then `medusa start` with
 * NODE_ENV=development. In development mode Medusa's admin loader serves the dashboard through
 * Vite (admin-bundler's `develop`), with this repository's `src/admin` as the project's own
 * extensions: no build step. Not `medusa develop`: it restarts on every file change. Not
 * `medusa build` + production: the build writes .medusa/server, which the plugin build owns,
 * and production session cookies are Secure, which http://localhost cannot carry.
 * Their output goes to `<dataDir>/medusa.log`.
 */

export type DemoPorts = { medusa: number; storefront: number; sandbox: number }

export type DemoStackOptions = {
  /** where the demo keeps its PostgreSQL data, storefront build and logs; default `.demo-data` */
  dataDir?: string
  /** defaults: DEMO_MEDUSA_PORT / DEMO_STOREFRONT_PORT / DEMO_SANDBOX_PORT, else 9000 / 8000 / 4010 */
  ports?: Partial<DemoPorts>
  /** progress lines: "▸ ..." when a step starts, "✓ ..." when it is done, others informative */
  log?: (line: string) => void
  /** aborting stops whatever was started and rejects with a DemoError */
  signal?: AbortSignal
}

export type DemoStack = {
  medusaUrl: string
  adminUrl: string
  storefrontUrl: string
  sandboxUrl: string
  publishableKey: string
  admin: { email: string; password: string }
  /** Medusa's database (tests look at the plugin's tables in it) */
  databaseUrl: string
  stop(): Promise<void>
}

export const DEFAULT_PORTS: DemoPorts = { medusa: 9000, storefront: 8000, sandbox: 4010 }
export const PORT_ENV: Record<keyof DemoPorts, string> = {
  medusa: "DEMO_MEDUSA_PORT",
  storefront: "DEMO_STOREFRONT_PORT",
  sandbox: "DEMO_SANDBOX_PORT",
}
const PORT_LABEL: Record<keyof DemoPorts, string> = {
  medusa: "Medusa (API and admin)",
  storefront: "the storefront",
  sandbox: "the PaySys sandbox",
}

export async function startDemoStack(options: DemoStackOptions = {}): Promise<DemoStack> {
  const log = options.log ?? (() => undefined)
  const dataDir = path.resolve(options.dataDir ?? DEFAULT_DATA_DIR)
  const ports = resolvePorts(options.ports)
  mkdirSync(dataDir, { recursive: true })

  const medusaUrl = `http://localhost:${ports.medusa}`
  const storefrontUrl = `http://localhost:${ports.storefront}`
  const medusaLog = new MedusaOutput(path.join(dataDir, "medusa.log"))

  // everything started so far, stopped in reverse order on failure or stop()
  const cleanups: { name: string; run: () => Promise<void> }[] = []
  const children = new Set<ChildProcess>()
  let stopped: Promise<void> | null = null
  const stopAll = () => {
    stopped ??= (async () => {
      for (const cleanup of cleanups.splice(0).reverse()) {
        try {
          await cleanup.run()
        } catch (error) {
          log(`! could not stop ${cleanup.name}: ${(error as Error).message}`)
        }
      }
      await medusaLog.end()
    })()
    return stopped
  }
  const aborted = () => {
    if (options.signal?.aborted) {
      throw new DemoError("startup interrupted")
    }
  }
  const onAbort = () => {
    for (const child of children) {
      child.kill("SIGTERM")
    }
  }
  options.signal?.addEventListener("abort", onAbort)

  const step = async <T>(title: string, run: () => Promise<T>, done?: (value: T) => string): Promise<T> => {
    aborted()
    const started = Date.now()
    log(`▸ ${title}`)
    const value = await run()
    aborted()
    log(`✓ ${done ? done(value) : title} (${seconds(Date.now() - started)})`)
    return value
  }

  /** Runs the Medusa CLI to its end, output to the log; an interruption stops it. */
  const medusaCommand = async (what: string, args: string[], env: NodeJS.ProcessEnv) => {
    let child: ChildProcess | undefined
    try {
      await runMedusaCommand(what, args, env, medusaLog, (started) => children.add((child = started)))
    } catch (error) {
      throw options.signal?.aborted ? new DemoError("startup interrupted") : error
    } finally {
      if (child) {
        children.delete(child)
      }
    }
  }

  try {
    await step(
      "Checking ports",
      () => checkPorts(ports),
      () => `Ports free: ${describePorts(ports)}`
    )

    const database = await step(
      "Starting PostgreSQL",
      () => startPostgres(dataDir, children, options.signal),
      (db) => `PostgreSQL ready: ${db.description}`
    )
    cleanups.push({ name: "PostgreSQL", run: database.stop })
    // DATABASE_URL naming a database: that one, as it is; otherwise the demo's own database
    const userUrl =
      !database.embedded && !process.env.DB_HOST && process.env.DATABASE_URL ? new URL(process.env.DATABASE_URL) : null
    const userDatabase = decodeURIComponent(userUrl?.pathname.slice(1) ?? "")
    const dbName = userDatabase || (database.embedded ? DEMO_DATABASE : databaseNameFor(dataDir))
    const created = await step(
      `Preparing database ${dbName}`,
      () =>
        ensureDatabase(database.env, dbName).catch((error) => {
          if (!userDatabase) {
            throw error
          }
          // a server that needs what DATABASE_URL says (SSL...): Medusa will connect with it
          log(`! could not check database ${dbName} (${(error as Error).message}); going on with DATABASE_URL as it is`)
          return false
        }),
      (isNew) => (isNew ? `Database ${dbName} created` : `Database ${dbName} found`)
    )
    let medusaDatabaseUrl = databaseUrl(database.env, dbName)
    if (userUrl) {
      userUrl.pathname = `/${encodeURIComponent(dbName)}`
      medusaDatabaseUrl = userUrl.toString()
    }

    const sandbox: PaysysSandbox = await step(
      "Starting the PaySys sandbox",
      () =>
        startPaysysSandbox({
          port: ports.sandbox,
          notifyUrl: `${medusaUrl}/hooks/paysys`,
          // the hosted form's Pay, Notify, ... (the URLs a merchant enters in PaySys's cabinet)
          merchantApiUrl: `${medusaUrl}/hooks/paysys-form`,
          logger: { info: (line) => log(`  [sandbox] ${line}`) },
        }),
      (s) => `PaySys sandbox ready at ${s.url}`
    )
    cleanups.push({ name: "the PaySys sandbox", run: () => sandbox.close() })

    const medusaEnv: NodeJS.ProcessEnv = {
      ...childEnv(),
      NODE_ENV: "development",
      PORT: String(ports.medusa),
      DATABASE_URL: medusaDatabaseUrl,
      STORE_CORS: storefrontUrl,
      ADMIN_CORS: medusaUrl,
      AUTH_CORS: `${storefrontUrl},${medusaUrl}`,
      PAYSYS_GATEWAY_URL: sandbox.gatewayUrl,
      // the hosted form and its status API (medusa-config.ts)
      PAYSYS_SANDBOX_URL: sandbox.url,
      MEDUSA_DISABLE_TELEMETRY: "true",
    }

    // the storefront builds (Vite, in a process of its own) while Medusa migrates
    const storefrontBuild = buildStorefront(path.join(dataDir, "storefront"))
    storefrontBuild.catch(() => undefined)

    // What earlier runs did to this database: skip what is already done.
    const stateFile = path.join(dataDir, "state.json")
    const identity = database.embedded
      ? `embedded/${dbName}`
      : `${database.env.DB_HOST}:${database.env.DB_PORT}/${dbName}`
    const state = created ? { database: identity } : readState(stateFile, identity)
    const fingerprint = migrationFingerprint()
    if (state.migrated !== fingerprint) {
      await step(
        created
          ? "Migrating the new database (first run only, about half a minute)"
          : "Migrating the database (migrations or dependencies changed)",
        () => medusaCommand("medusa db:migrate", ["db:migrate", "--execute-safe-links"], medusaEnv),
        () => "Database migrated"
      )
      state.migrated = fingerprint
      writeState(stateFile, state)
    } else {
      log("✓ Database up to date (no migration changed since the last run)")
    }

    const seed = async () => {
      const resultFile = path.join(dataDir, "seed-result.json")
      rmSync(resultFile, { force: true })
      await medusaCommand("the demo seed", ["exec", "./demo/seed.ts"], { ...medusaEnv, DEMO_SEED_RESULT: resultFile })
      const result = JSON.parse(readFileSync(resultFile, "utf8")) as DemoSeedResult
      rmSync(resultFile, { force: true })
      state.seed = result
      writeState(stateFile, state)
      return result
    }
    const describeSeed = (s: DemoSeedResult) =>
      s.storeSeeded
        ? "Store seeded: UZS and USD regions with PaySys, 3 products, a publishable key, the admin user"
        : "Store already seeded: reusing its data"
    const earlierSeed = state.seed
    let seeded = earlierSeed ?? (await step("Seeding the store and the admin user (once)", seed, describeSeed))

    const medusa = await step(
      "Starting Medusa with the admin",
      () => startMedusa(medusaEnv, medusaUrl, medusaLog, children, options.signal),
      () => `Medusa ready at ${medusaUrl}`
    )
    cleanups.push({ name: "Medusa", run: () => stopChild(medusa, "SIGTERM", 30_000) })
    medusa.once("exit", (code, sig) => {
      if (!stopped) {
        log(
          `! Medusa stopped unexpectedly (${sig ?? `exit code ${code}`}): see ${medusaLog.path}; Ctrl-C stops the rest`
        )
      }
    })

    if (earlierSeed) {
      if (await storeAnswers(medusaUrl, earlierSeed.publishableKey)) {
        log("✓ Store already seeded: reusing its data and admin user")
      } else {
        // the database no longer holds what an earlier run seeded (emptied by hand?)
        seeded = await step("Seeding the store again (its data is gone)", seed, describeSeed)
      }
    }
    const publishableKey = seeded.publishableKey

    const storefront: StorefrontServer = await step(
      "Serving the storefront",
      async () =>
        serveStorefront({ port: ports.storefront, dir: await storefrontBuild, config: { medusaUrl, publishableKey } }),
      (s) => `Storefront ready at ${s.url}`
    )
    cleanups.push({ name: "the storefront", run: () => storefront.close() })

    options.signal?.removeEventListener("abort", onAbort)
    return {
      medusaUrl,
      adminUrl: `${medusaUrl}/app`,
      storefrontUrl,
      sandboxUrl: sandbox.url,
      publishableKey,
      admin: {
        email: process.env.DEMO_ADMIN_EMAIL || DEMO_ADMIN.email,
        password: process.env.DEMO_ADMIN_PASSWORD || DEMO_ADMIN.password,
      },
      databaseUrl: medusaDatabaseUrl,
      stop: stopAll,
    }
  } catch (error) {
    options.signal?.removeEventListener("abort", onAbort)
    await stopAll()
    throw error
  }
}

function resolvePorts(given: Partial<DemoPorts> = {}): DemoPorts {
  const ports = { ...DEFAULT_PORTS }
  for (const key of Object.keys(ports) as (keyof DemoPorts)[]) {
    const fromEnv = process.env[PORT_ENV[key]]
    const value = given[key] ?? (fromEnv ? Number(fromEnv) : undefined)
    if (value === undefined) {
      continue
    }
    if (!Number.isInteger(value) || value < 1 || value > 65535) {
      throw new DemoError(`${PORT_ENV[key]} must be a port number (1-65535), not "${fromEnv ?? value}"`)
    }
    ports[key] = value
  }
  const values = Object.values(ports)
  if (new Set(values).size !== values.length) {
    throw new DemoError(`the demo needs three different ports, got ${describePorts(ports)}`)
  }
  return ports
}

function describePorts(ports: DemoPorts) {
  return `Medusa ${ports.medusa}, storefront ${ports.storefront}, sandbox ${ports.sandbox}`
}

/** Fails with the port, what it is for, and the variable that changes it. */
async function checkPorts(ports: DemoPorts) {
  for (const key of Object.keys(ports) as (keyof DemoPorts)[]) {
    const free = await isPortFree(ports[key], key === "sandbox" ? "127.0.0.1" : undefined)
    if (!free) {
      const other = ports[key] + 1
      throw new DemoError(
        `Port ${ports[key]}, for ${PORT_LABEL[key]}, is already in use`,
        `stop what is using it, or pick another port: ${PORT_ENV[key]}=${other} npm run demo`
      )
    }
  }
}

function isPortFree(port: number, host?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer()
    server.once("error", () => resolve(false))
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)))
  })
}

type DemoState = { database: string; migrated?: string; seed?: DemoSeedResult }

/** `<dataDir>/state.json`, if it is about this database. */
function readState(file: string, database: string): DemoState {
  try {
    const state = JSON.parse(readFileSync(file, "utf8")) as DemoState
    if (state.database === database) {
      return state
    }
  } catch {
    // none yet, or unreadable: start over
  }
  return { database }
}

function writeState(file: string, state: DemoState) {
  writeFileSync(file, JSON.stringify(state, null, 2))
}

/**
 * What `medusa db:migrate` depends on: the installed packages (package-lock.json), the app's
 * config (medusa-config.ts), and this repository's migrations and links. Unchanged: nothing
 * to migrate, which saves the second run about 15 seconds.
 */
function migrationFingerprint(): string {
  const hash = createHash("sha1")
  const lockFile = existsSync(path.join(REPO_ROOT, "package-lock.json")) ? "package-lock.json" : "package.json"
  for (const file of [lockFile, "medusa-config.ts"]) {
    hash.update(file).update(readFileSync(path.join(REPO_ROOT, file)))
  }
  const walk = (dir: string, relevant: boolean) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) {
        if (entry.name !== "__tests__" && entry.name !== "node_modules") {
          walk(full, relevant || entry.name === "migrations" || entry.name === "links")
        }
      } else if (relevant) {
        hash.update(path.relative(REPO_ROOT, full)).update(readFileSync(full))
      }
    }
  }
  walk(path.join(REPO_ROOT, "src"), false)
  return hash.digest("hex")
}

/** Whether the store API takes this publishable key and shows the seeded regions. */
async function storeAnswers(medusaUrl: string, publishableKey: string): Promise<boolean> {
  try {
    const response = await fetch(`${medusaUrl}/store/regions`, {
      headers: { "x-publishable-api-key": publishableKey },
      signal: AbortSignal.timeout(30_000),
    })
    const body = (await response.json()) as { regions?: { currency_code: string }[] }
    return response.ok && Boolean(body.regions?.some((region) => region.currency_code === "uzs"))
  } catch {
    return false
  }
}

/** `medusa start`; resolves once GET /health answers, fails with the log's end if it exits. */
async function startMedusa(
  env: NodeJS.ProcessEnv,
  medusaUrl: string,
  output: MedusaOutput,
  children: Set<ChildProcess>,
  signal?: AbortSignal
): Promise<ChildProcess> {
  const child = forkMedusa(["start"], env, output)
  children.add(child)
  let exited: string | null = null
  child.once("exit", (code, sig) => {
    exited = sig ?? `exit code ${code}`
    children.delete(child)
  })
  const deadline = Date.now() + 300_000
  for (;;) {
    if (exited || signal?.aborted) {
      await stopChild(child, "SIGTERM", 30_000)
      throw new DemoError(
        signal?.aborted ? "startup interrupted" : `Medusa stopped while starting (${exited}):\n${output.tail()}`,
        `the full output is in ${output.path}`
      )
    }
    if (await answers(`${medusaUrl}/health`)) {
      break
    }
    if (Date.now() > deadline) {
      await stopChild(child, "SIGTERM", 30_000)
      throw new DemoError(`Medusa did not answer on ${medusaUrl}/health within 5 minutes`, `see ${output.path}`)
    }
    await sleep(300)
  }
  // loads the dashboard's page once, so Vite has it ready when the browser asks
  await answers(`${medusaUrl}/app`, 120_000)
  children.delete(child)
  return child
}

async function answers(url: string, timeoutMs = 2_000): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) })
    await response.arrayBuffer()
    return response.ok
  } catch {
    return false
  }
}

function seconds(ms: number) {
  return `${(ms / 1000).toFixed(1)}s`
}
