import { subscribe, unsubscribe } from "node:diagnostics_channel"
import type { ServerResponse } from "node:http"
import { databaseClient } from "../demo/database"
import { configuredDatabase } from "../scripts/postgres"

/*
 * Teardown hooks registered without a time limit get one of their own, shorter than the
 * suites' test timeouts (up to 10 minutes). The one that matters is Medusa's test runner's
 * afterEach: it polls until no workflow execution is running, so after a failed test that
 * left one stuck it would hold the suite for the whole test timeout. Two minutes is far more
 * than a healthy teardown takes on a loaded machine.
 */
const TEARDOWN_LIMIT_MS = 120_000

/*
 * A teardown this slow is stuck on something: the suite's log then says what, every so often
 * (the requests the app's server has not answered yet, which keep it from closing, what keeps
 * the process busy, and what PostgreSQL is busy with or waiting for: the runner's teardown ends
 * by dropping databases), so that a hang seen once can be explained.
 */
const SLOW_TEARDOWN_MS = 15_000

const unanswered = new Map<ServerResponse, { method?: string; url?: string; since: number }>()
const REQUEST_START = "http.server.request.start"
const track = (message: unknown) => {
  const { request, response } = message as { request: { method?: string; url?: string }; response: ServerResponse }
  unanswered.set(response, { method: request.method, url: request.url, since: Date.now() })
  response.once("close", () => unanswered.delete(response))
}
subscribe(REQUEST_START, track)
// the suites share one process (--runInBand): this one's listener goes with it, after every other hook
afterAll(() => {
  unsubscribe(REQUEST_START, track)
})

function stuckOn(hook: string, startedAt: number) {
  const now = Date.now()
  const requests = [...unanswered.values()].map(({ method, url, since }) => `${method} ${url} (${now - since} ms)`)
  const resources = process
    .getActiveResourcesInfo()
    .reduce<Record<string, number>>((counts, kind) => ({ ...counts, [kind]: (counts[kind] ?? 0) + 1 }), {})
  console.error(
    `[teardown] ${hook} running for ${now - startedAt} ms; unanswered requests: ${requests.join(", ") || "none"}; active resources: ${JSON.stringify(resources)}`
  )
  void busyInPostgres().then((busy) => console.error(`[teardown] PostgreSQL: ${busy}`))
}

/** Every session of the server not idle, but this one: what it runs, for how long, what it waits on. */
async function busyInPostgres(): Promise<string> {
  const database = configuredDatabase()
  if (!database) {
    return "not configured"
  }
  const client = await databaseClient(database)
  try {
    await client.connect()
    const { rows } = await client.query(
      `select pid, datname, state, wait_event_type, wait_event,
              round(extract(epoch from now() - query_start))::int as seconds, left(query, 160) as query
         from pg_stat_activity
        where pid <> pg_backend_pid() and coalesce(state, '') <> 'idle' and backend_type = 'client backend'`
    )
    return rows.map((row) => JSON.stringify(row)).join("; ") || "every session idle"
  } catch (error) {
    return `unreadable (${(error as Error).message})`
  } finally {
    await client.end().catch(() => undefined)
  }
}

for (const hook of ["afterEach", "afterAll"] as const) {
  const register = globalThis[hook]
  globalThis[hook] = ((fn: jest.ProvidesHookCallback, timeout?: number) => {
    // a hook taking jest's done callback is left as it is: none of the slow ones do
    const watched =
      fn.length > 0
        ? fn
        : async function (this: unknown) {
            const startedAt = Date.now()
            const watch = setInterval(() => stuckOn(hook, startedAt), SLOW_TEARDOWN_MS).unref()
            try {
              return await (fn as () => unknown).call(this)
            } finally {
              clearInterval(watch)
            }
          }
    return register(watched as jest.ProvidesHookCallback, timeout ?? TEARDOWN_LIMIT_MS)
  }) as typeof register
}
