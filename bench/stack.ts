/**
 * What every measurement runs on: PostgreSQL (embedded unless DB_HOST/DATABASE_URL is set)
 * with a fresh database, migrated by `medusa db:migrate` (core modules, links and this
 * plugin's module from medusa-config.ts); the PaySys sandbox in this process; and this
 * repository booted as a Medusa server in a child process (bench/medusa-server.ts), seeded
 * with the integration tests' store. The sandbox notifies the server at /hooks/paysys.
 */
import axios, { AxiosInstance } from "axios"
import { ChildProcess, spawn } from "node:child_process"
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, WriteStream } from "node:fs"
import http from "node:http"
import os from "node:os"
import path from "node:path"
import { performance } from "node:perf_hooks"
import knex, { Knex } from "knex"
import { databaseUrl, freePort, RunningDatabase, startDatabase } from "../scripts/postgres"
import { SeededStore } from "../scripts/seed-store"
import { PaysysSandbox, startPaysysSandbox } from "paysys-sandbox"
import { card, CARDS, passThreeDs, Storefront, THREE_DS_CODE } from "../integration-tests/helpers/checkout"
import { signUpCustomer } from "../integration-tests/helpers/customer"
import { waitFor } from "../integration-tests/helpers/wait"
import type { ServerCommand } from "./medusa-server"

export const ROOT = path.resolve(__dirname, "..")

/** The server's reversal grace period (PAYSYS_REVERSE_AFTER_SECONDS), short so the drills see reversals. */
export const REVERSE_AFTER_SECONDS = 3

// ---- progress -------------------------------------------------------------------------------

const runStartedAt = performance.now()

export const elapsed = () => `${((performance.now() - runStartedAt) / 1000).toFixed(0).padStart(4)}s`

export function log(line: string) {
  console.log(`[${elapsed()}] ${line}`)
}

/** Runs one named piece of work, printing when it starts and how long it took. */
export async function step<T>(title: string, work: () => Promise<T>): Promise<T> {
  log(`▸ ${title}…`)
  const startedAt = performance.now()
  const value = await work()
  log(`✓ ${title} (${((performance.now() - startedAt) / 1000).toFixed(1)} s)`)
  return value
}

// ---- numbers --------------------------------------------------------------------------------

export function percentile(values: number[], p: number): number {
  if (!values.length) {
    return NaN
  }
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank]
}

export const ms = (value: number, digits = 2) => (Number.isFinite(value) ? `${value.toFixed(digits)} ms` : "n/a")

export function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.map((c) => String(c).replace(/\|/g, "\\|")).join(" | ")} |`
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n")
}

/** Runs `work` over `items`, `limit` at a time, in order of start; rejects on the first failure. */
export async function pool<T, R>(
  items: T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>
): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await work(items[index], index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

export { sleep, waitFor } from "../integration-tests/helpers/wait"

// ---- CPU time, from /proc (Linux) -----------------------------------------------------------

/** USER_HZ: /proc counts CPU time in 1/100 s on Linux */
const CLOCK_TICKS = 100

/** Every process's CPU time so far in ticks (its own and its ended children's), or null (not Linux). */
function processStats() {
  try {
    return readdirSync("/proc")
      .filter((name) => /^\d+$/.test(name))
      .map((pid) => {
        try {
          const text = readFileSync(`/proc/${pid}/stat`, "utf8")
          const fields = text.slice(text.lastIndexOf(")") + 2).split(" ")
          const comm = text.slice(text.indexOf("(") + 1, text.lastIndexOf(")"))
          // after the command: state, ppid, ... utime (14th field of the line), stime, cutime, cstime
          return {
            pid: Number(pid),
            comm,
            ppid: Number(fields[1]),
            ticks: Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]),
          }
        } catch {
          return null
        }
      })
      .filter((stat): stat is NonNullable<typeof stat> => stat !== null)
  } catch {
    return null
  }
}

/**
 * CPU time (ms) used so far by the embedded PostgreSQL this process started (its postmaster
 * and backends, from /proc), or null (not Linux, or a PostgreSQL of one's own).
 */
export function postgresCpuMs(): number | null {
  const stats = processStats()
  const postmaster = stats?.find((s) => s.ppid === process.pid && s.comm === "postgres")
  if (!stats || !postmaster) {
    return null
  }
  const ticks = stats
    .filter((s) => s.pid === postmaster.pid || s.ppid === postmaster.pid)
    .reduce((a, s) => a + s.ticks, 0)
  return (ticks * 1000) / CLOCK_TICKS
}

/** CPU time (ms) used so far by one process, or null (not Linux, or gone). */
export function processCpuMs(pid: number | null): number | null {
  if (pid === null) {
    return null
  }
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8")
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ")
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS
  } catch {
    return null
  }
}

// ---- the Medusa server, a child process ----------------------------------------------------

export class MedusaServer {
  private child: ChildProcess | null = null
  private pending = new Map<string, { resolve: (value: any) => void; reject: (error: Error) => void }>()
  private seq = 0
  private boots = 0
  /** every boot, in seconds */
  readonly bootSeconds: number[] = []

  constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly logFile: WriteStream
  ) {}

  get url() {
    return `http://127.0.0.1:${this.port}`
  }

  get pid() {
    return this.child?.pid ?? null
  }

  async start(): Promise<void> {
    const boot = ++this.boots
    const startedAt = performance.now()
    this.logFile.write(`\n===== boot ${boot} =====\n`)
    // BENCH_NODE_ARGS: node's own options for the server, e.g. --trace-gc or --cpu-prof
    const child = spawn(
      process.execPath,
      [
        ...(process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean),
        require.resolve("ts-node/dist/bin"),
        "--transpile-only",
        "bench/medusa-server.ts",
      ],
      {
        cwd: ROOT,
        env: { ...process.env, ...this.env, PORT: String(this.port), NODE_OPTIONS: "" },
        stdio: ["ignore", "pipe", "pipe", "ipc"],
      }
    )
    this.child = child
    child.stdout!.pipe(this.logFile, { end: false })
    child.stderr!.pipe(this.logFile, { end: false })
    child.on("message", (message: { type: string; id?: string; ok?: boolean; value?: unknown; error?: string }) => {
      if (message.type === "result" && message.id) {
        const waiting = this.pending.get(message.id)
        this.pending.delete(message.id)
        if (message.ok) waiting?.resolve(message.value)
        else waiting?.reject(new Error(`Medusa server: ${message.error}`))
      }
    })
    child.on("exit", (code, signal) => {
      if (this.child === child) {
        this.child = null
      }
      for (const [id, waiting] of this.pending) {
        this.pending.delete(id)
        waiting.reject(new Error(`the Medusa server exited (${signal ?? code}) before answering`))
      }
    })
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`Medusa did not start in 180 s; see ${this.logFile.path}`)),
        180_000
      )
      const onMessage = (message: { type: string }) => {
        if (message.type === "listening") {
          clearTimeout(timer)
          child.off("exit", onExit)
          child.off("message", onMessage)
          resolve()
        }
      }
      const onExit = (code: number | null) => {
        clearTimeout(timer)
        reject(new Error(`Medusa exited with ${code} while starting; see ${this.logFile.path}`))
      }
      child.on("message", onMessage)
      child.once("exit", onExit)
    })
    this.bootSeconds.push((performance.now() - startedAt) / 1000)
  }

  /** Runs a command inside the server (see medusa-server.ts). */
  command<T>(command: ServerCommand): Promise<T> {
    const child = this.child
    if (!child) {
      return Promise.reject(new Error("the Medusa server is not running"))
    }
    const id = String(++this.seq)
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      child.send({ id, command })
    })
  }

  /** Kills the server at once (SIGKILL: no shutdown, nothing flushed) and waits for its end. */
  async kill(): Promise<void> {
    const child = this.child
    if (!child) {
      return
    }
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve())
      child.kill("SIGKILL")
    })
  }

  /** A clean stop (SIGTERM; SIGKILL after 8 s). */
  async stop(): Promise<void> {
    const child = this.child
    if (!child) {
      return
    }
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve())
      child.kill("SIGTERM")
      setTimeout(() => child.kill("SIGKILL"), 8000).unref()
    })
  }
}

// ---- the stack ------------------------------------------------------------------------------

export type Stack = {
  databaseUrl: string
  /** SQL on the benchmark's database */
  db: Knex
  sandbox: PaysysSandbox
  /** the sandbox's control API (/__sandbox) */
  control: AxiosInstance
  medusa: MedusaServer
  /** the Medusa server's HTTP API */
  api: AxiosInstance
  store: SeededStore
  storefront: Storefront
  /** where the Medusa server's output goes */
  logPath: string
  /** PaySys request timeout the server runs with */
  paysysTimeoutMs: number
  /** when the whole run should be done (ms since the epoch): measurements time-box their counts by it */
  deadline: number
  /** seconds per storefront checkout at the current load, once a measurement has seen some */
  checkoutSeconds: number | null
  /** another Medusa server on the same database, its env changed by `overrides`; stopped with the stack */
  startServer(overrides: Record<string, string>): Promise<MedusaServer>
  stop(): Promise<void>
}

/** Seconds left before the run's deadline. */
export const secondsLeft = (stack: Stack) => (stack.deadline - Date.now()) / 1000

export async function startStack(): Promise<Stack> {
  const cleanups: (() => Promise<unknown>)[] = []
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error) => log(`cleanup failed: ${(error as Error).message}`))
    }
  }
  try {
    const database: RunningDatabase = await step("PostgreSQL", () => startDatabase())
    cleanups.push(() => database.stop())
    const name = `paysys_bench_${Date.now()}`
    const admin = knex({ client: "pg", connection: databaseUrl(database.env, "postgres") })
    await admin.raw(`create database "${name}"`)
    await admin.destroy()
    const url = databaseUrl(database.env, name)
    if (!database.embedded) {
      cleanups.push(async () => {
        const dropper = knex({ client: "pg", connection: databaseUrl(database.env, "postgres") })
        await dropper.raw(`drop database if exists "${name}" with (force)`).finally(() => dropper.destroy())
      })
    }
    log(
      `database ${name} on ${database.embedded ? "embedded PostgreSQL" : "the configured PostgreSQL"} at ${database.env.DB_HOST}:${database.env.DB_PORT}`
    )

    const logDir = mkdtempSync(path.join(os.tmpdir(), "paysys-bench-"))
    const logPath = path.join(logDir, "medusa.log")
    const logFile = createWriteStream(logPath)
    cleanups.push(() => new Promise<void>((resolve) => logFile.end(() => resolve())))

    const port = await freePort()
    const sandbox = await startPaysysSandbox({ port: 0, notifyUrl: `http://127.0.0.1:${port}/hooks/paysys` })
    cleanups.push(() => sandbox.close())
    process.env.PAYSYS_SANDBOX_URL = sandbox.url // for integration-tests/helpers/checkout's sandboxControl
    log(`PaySys sandbox at ${sandbox.url}, in this process`)

    const paysysTimeoutMs = 3000
    const env: Record<string, string> = {
      DATABASE_URL: url,
      DISABLE_MEDUSA_ADMIN: "true",
      PAYSYS_GATEWAY_URL: sandbox.gatewayUrl,
      // an attempt is due a second after it was made; the benchmark runs the job itself (the
      // server removes its every-minute schedule: bench/medusa-server.ts)
      PAYSYS_RECONCILE_AFTER_SECONDS: "1",
      PAYSYS_ABANDON_AFTER_SECONDS: "3600",
      // a second paid attempt of a cart is given back this long after it was paid (default 15 min)
      PAYSYS_REVERSE_AFTER_SECONDS: String(REVERSE_AFTER_SECONDS),
      // a timeout drill waits this long per lost answer (default 15 s)
      PAYSYS_TIMEOUT_MS: String(paysysTimeoutMs),
      // the bench measures the job itself, not PaySys's request budget (bench/reconciliation.ts measures that apart)
      PAYSYS_BACKGROUND_CALLS_PER_MINUTE: process.env.PAYSYS_BACKGROUND_CALLS_PER_MINUTE ?? "100000000",
      // hundreds of checkouts from one address: the card-testing limits would refuse them (their cost is measured apart)
      PAYSYS_LIMITS: JSON.stringify({ enabled: false }),
      MEDUSA_DISABLE_TELEMETRY: "true",
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "info",
    }
    delete process.env.REDIS_URL

    await step("Migrations (medusa db:migrate: core modules, links, ./src/modules/paysys)", async () => {
      logFile.write("===== medusa db:migrate =====\n")
      const child = spawn(
        process.execPath,
        [path.join(ROOT, "node_modules/@medusajs/cli/cli.js"), "db:migrate", "--execute-safe-links"],
        {
          cwd: ROOT,
          env: { ...process.env, ...env, NODE_OPTIONS: "" },
          stdio: ["ignore", "pipe", "pipe"],
        }
      )
      child.stdout.pipe(logFile, { end: false })
      child.stderr.pipe(logFile, { end: false })
      const code = await new Promise<number | null>((resolve) => child.once("exit", resolve))
      if (code !== 0) {
        throw new Error(`medusa db:migrate failed (exit ${code}); see ${logPath}`)
      }
    })

    const medusa = new MedusaServer(port, env, logFile)
    cleanups.push(() => medusa.stop())
    await step("Medusa server (child process)", () => medusa.start())
    log(`Medusa at ${medusa.url}, pid ${medusa.pid}; its output: ${logPath}`)

    const store = await step("Seed (scripts/seed-store.ts)", () => medusa.command<SeededStore>({ cmd: "seed" }))
    const api = axios.create({ baseURL: medusa.url, httpAgent: new http.Agent({ keepAlive: true, maxSockets: 64 }) })
    // an error names the request and Medusa's answer, not only the status
    api.interceptors.response.use(undefined, (error) => {
      if (error?.response) {
        const { config, status, data } = error.response
        error.message = `${config?.method?.toUpperCase()} ${config?.url} answered ${status}: ${JSON.stringify(data).slice(0, 500)}`
      }
      return Promise.reject(error)
    })
    const db = knex({ client: "pg", connection: url, pool: { min: 0, max: 4 } })
    cleanups.push(() => db.destroy())
    const control = axios.create({
      baseURL: `${sandbox.url}/__sandbox`,
      headers: { "Content-Type": "application/json" },
    })

    // the first guest cart creates the shopper's customer: concurrent first carts with one
    // email race on it in Medusa ("Customer ... already exists"), so make it before any load
    const storefront = new Storefront(api, store)
    await storefront.cartReadyForPayment("uzs", [{ variantId: store.products[1].variantId, quantity: 1 }])

    return {
      databaseUrl: url,
      db,
      sandbox,
      control,
      medusa,
      api,
      store,
      storefront,
      logPath,
      paysysTimeoutMs,
      deadline: Number.POSITIVE_INFINITY,
      checkoutSeconds: null,
      startServer: async (overrides) => {
        const server = new MedusaServer(await freePort(), { ...env, ...overrides }, logFile)
        cleanups.push(() => server.stop())
        await server.start()
        return server
      },
      stop,
    }
  } catch (error) {
    await stop()
    throw error
  }
}

// ---- shared checks --------------------------------------------------------------------------

/** Gateway calls per method since the last reset, from the sandbox's call log. */
export async function sandboxCalls(control: AxiosInstance): Promise<{
  total: number
  counts: Record<string, number>
  calls: { method: string; partner_trans_id: string | null; outcome: string }[]
}> {
  return (await control.get("/calls")).data
}

/** What PaySys and Medusa hold for a set of carts: payments taken, orders, double charges, lost payments. */
export type MoneyCount = {
  carts: number
  /** attempts at status 2 or 6 at PaySys (money taken and kept) */
  paid: number
  /** attempts paid and then reversed (3) */
  reversed: number
  orders: number
  /** carts with more than one kept payment at PaySys, more than one Medusa payment or capture, or more than one order */
  doubleCharges: number
  /** carts paid at PaySys with no order */
  lost: number
}

type SandboxTransaction = { partner_trans_id: string; status: number; history: { event: string }[] }

/** Every attempt of every session at the sandbox: those in the ledger, and one past them (a charge the ledger would not know of). */
export async function attemptsAtPaysys(stack: Stack, sessionIds: string[]): Promise<Map<string, SandboxTransaction[]>> {
  const found = new Map<string, SandboxTransaction[]>()
  await pool(sessionIds, 8, async (sessionId) => {
    const { rows } = await stack.db.raw(
      `select count(*)::int as count from paysys_attempt where partner_trans_id like ?`,
      [`${sessionId}-%`]
    )
    const attempts: SandboxTransaction[] = []
    for (let attempt = 1; attempt <= rows[0].count + 1; attempt++) {
      const response = await stack.control.get(`/transactions/${sessionId}-${attempt}`, { validateStatus: () => true })
      if (response.status === 200) {
        attempts.push(response.data.transaction)
      }
    }
    found.set(sessionId, attempts)
  })
  return found
}

export async function countMoney(
  stack: Stack,
  checkouts: { cartId: string; sessionId: string }[]
): Promise<MoneyCount & { perCart: Record<string, unknown>[] }> {
  const attempts = await attemptsAtPaysys(
    stack,
    checkouts.map((c) => c.sessionId)
  )
  const count: MoneyCount = { carts: checkouts.length, paid: 0, reversed: 0, orders: 0, doubleCharges: 0, lost: 0 }
  const perCart: Record<string, unknown>[] = []
  for (const { cartId, sessionId } of checkouts) {
    const { rows } = await stack.db.raw(
      // by the cart's payment collection: a paid attempt may be completed in a new session
      `select
         (select count(*)::int from order_cart where cart_id = :cart and deleted_at is null) as orders,
         (select count(*)::int from payment p join cart_payment_collection l on l.payment_collection_id = p.payment_collection_id
           where l.cart_id = :cart and l.deleted_at is null and p.deleted_at is null) as payments,
         (select count(*)::int from capture c join payment p on p.id = c.payment_id join cart_payment_collection l on l.payment_collection_id = p.payment_collection_id
           where l.cart_id = :cart and l.deleted_at is null and c.deleted_at is null) as captures`,
      { cart: cartId }
    )
    const medusa = rows[0] as { orders: number; payments: number; captures: number }
    const tx = attempts.get(sessionId) ?? []
    const kept = tx.filter((t) => t.status === 2 || t.status === 6).length
    const reversed = tx.filter((t) => t.status === 3).length
    count.paid += kept
    count.reversed += reversed
    count.orders += medusa.orders
    const double = kept > 1 || medusa.payments > 1 || medusa.captures > 1 || medusa.orders > 1
    const lost = kept > 0 && medusa.orders === 0
    count.doubleCharges += double ? 1 : 0
    count.lost += lost ? 1 : 0
    if (double || lost) {
      const { rows: more } = await stack.db.raw(
        `select s.status as session_status,
           (select string_agg(coalesce(n.outcome, 'unprocessed'), ',') from paysys_notification n where n.partner_trans_id like s.id || '-%') as notification_outcomes,
           (select string_agg(a.partner_trans_id || ':' || a.state || ':' || coalesce(a.outcome, ''), ',') from paysys_attempt a where a.partner_trans_id like s.id || '-%') as ledger
           from payment_session s where s.id = ?`,
        [sessionId]
      )
      perCart.push({
        cartId,
        sessionId,
        ...medusa,
        ...more[0],
        attempts: tx.map((t) => `${t.partner_trans_id}:${t.status}`),
      })
    }
  }
  return { ...count, perCart }
}

// ---- checkouts, as a storefront does them over the store API ------------------------------

export type Checkout = { cartId: string; sessionId: string; confirmUrl: string | null; postStatus: number }

/** A UZS cart with one bowl, a PaySys session, and the card posted (attempt 1); not yet through 3-D Secure. */
export async function startCardCheckout(stack: Stack, number = CARDS.visa): Promise<Checkout> {
  const cart = await stack.storefront.cartReadyForPayment("uzs", [
    { variantId: stack.store.products[1].variantId, quantity: 1 },
  ])
  const session = await stack.storefront.startPaysysSession(cart.id)
  const posted = await stack.storefront.postCard(session.id, card(number))
  return {
    cartId: cart.id,
    sessionId: session.id,
    confirmUrl: posted.data?.confirm_url ?? null,
    postStatus: posted.status,
  }
}

/** The shopper on the 3-D Secure page, with the right code. */
export const passThreeDsOk = (confirmUrl: string) => passThreeDs(confirmUrl, { code: THREE_DS_CODE })

export async function notificationRows(db: Knex, partnerTransId: string) {
  const { rows } = await db.raw(
    `select deliveries, attempts, processed_at, outcome, last_error from paysys_notification where partner_trans_id = ? order by created_at`,
    [partnerTransId]
  )
  return rows as {
    deliveries: number
    attempts: number
    processed_at: Date | null
    outcome: string | null
    last_error: string | null
  }[]
}

export async function orderCount(db: Knex, cartId: string): Promise<number> {
  const { rows } = await db.raw(
    `select count(*)::int as count from order_cart where cart_id = ? and deleted_at is null`,
    [cartId]
  )
  return rows[0].count
}

/** A signed-in customer with an active saved card (mir.card_registration, 3-D Secure, partner.notify). */
export async function customerWithSavedCard(stack: Stack, email: string) {
  const customer = await signUpCustomer(stack.api, stack.store.publishableKey, email)
  const started = await stack.api.post(
    "/store/paysys/cards",
    { card_holder_name: "Aziz Karimov", card_number: CARDS.mastercard, card_expiry: "11/29", card_cvc: "737" },
    customer
  )
  await passThreeDsOk(started.data.confirm_url)
  const cardId = started.data.card.id as string
  await waitFor("the saved card activated by partner.notify", async () => {
    const { rows } = await stack.db.raw(`select status from paysys_saved_card where id = ?`, [cardId])
    return rows[0]?.status === "active"
  })
  return { customer, cardId }
}

/** A cart of that customer with a PaySys session for the saved card (pay_by_id happens at completion). */
export async function startSavedCardCheckout(
  stack: Stack,
  customer: { headers: Record<string, string> },
  savedCardId: string
) {
  const cart = await stack.storefront.cartReadyForPayment("uzs", [
    { variantId: stack.store.products[1].variantId, quantity: 1 },
  ])
  await stack.api.post(`/store/carts/${cart.id}/customer`, {}, customer)
  const collection = await stack.api.post("/store/payment-collections", { cart_id: cart.id }, customer)
  const created = await stack.api.post(
    `/store/payment-collections/${collection.data.payment_collection.id}/payment-sessions`,
    { provider_id: "pp_paysys_paysys", data: { saved_card_id: savedCardId } },
    customer
  )
  const session = created.data.payment_collection.payment_sessions.find(
    (s: { provider_id: string }) => s.provider_id === "pp_paysys_paysys"
  )
  return { cartId: cart.id as string, sessionId: session.id as string }
}
