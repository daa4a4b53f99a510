/**
 * Webhook ingestion on the running Medusa server, side by side, under a sustained load:
 *   /hooks/paysys                      the plugin's route (records, then processes via a subscriber)
 *   /hooks/payment/pp_paysys_paysys    Medusa's stock webhook route on the same server
 * Each route gets its own `notifications` distinct PaySys status notifications (plus duplicates):
 *   - `orders` of them are real checkouts, paid at PaySys (card + 3-D Secure) with the sandbox's
 *     callbacks dropped, so Medusa knows nothing yet and each has real work to do
 *     (check_payment, processPaymentWorkflow, the order);
 *   - the rest are payments made and paid directly at the sandbox (pay_by_id on a card saved
 *     there), which this store's ledger does not hold: what a PaySys account shared with another
 *     shop, or a staging copy, sends. The plugin's route records and processes each
 *     (`unknown_payment`); the stock route runs the provider's getWebhookActionAndData on each.
 * The bodies are the sandbox's own (the documented shape), sent with PaySys's Basic credentials
 * by autocannon, the real ones spread evenly through the run, a share of them twice (duplicates
 * spread through the run, some back to back). Then we wait for the processing to drain and
 * check in SQL and at the sandbox.
 */
import autocannon from "autocannon"
import { randomBytes } from "node:crypto"
import { performance } from "node:perf_hooks"
import { CARDS } from "../integration-tests/helpers/checkout"
import { notificationAuthHeader, PaysysClient } from "../src/paysys"
import {
  NOTIFICATION_MAX_PROCESSING_DELAY_MS,
  NOTIFICATION_QUIET_MS,
} from "../src/subscribers/paysys-notification-received"
import type { HeapState } from "./medusa-server"
import type { Section } from "./round-trips"
import {
  log,
  ms,
  passThreeDsOk,
  percentile,
  pool,
  postgresCpuMs,
  processCpuMs,
  sleep,
  Stack,
  startCardCheckout,
  table,
  waitFor,
} from "./stack"

type Options = {
  /** distinct notifications per route (real + foreign) */
  notifications: number
  /** of those, real checkouts per route whose processing places an order */
  orders: number
  duplicateShare: number
  connections: number
  /** requests per route sent before either load is measured (not reported) */
  warmup: number
  /** rounds of one load per route, the order swapped every round */
  rounds: number
  allotSeconds: number
}

/** The targets the webhook route is held to: the plugin's route against the stock route, in the same run. */
const TARGETS = {
  /** p99 of the answer at most this many times the stock route's */
  p99Ratio: 1.2,
  /** the drain time (all orders placed) before the change, plugin vs stock route */
  drainToday: { plugin: 18, stock: 21 },
}

/** Medusa's stock route processes a notification this long after answering (webhook_delay) */
const STOCK_DELAY_MS = 5000

const AMOUNT_MINOR = "14500000" // 145,000 UZS, as the store's checkouts

type Delivery = { partner_trans_id: string; body: unknown; state: string; kind: string }

type Checkout = { cartId: string; sessionId: string; partnerTransId: string }

/**
 * Checkouts paid at PaySys whose callbacks were dropped, two sets made side by side (one per
 * route), until `target` each or until `boxSeconds` have passed.
 */
async function paidCheckouts(stack: Stack, target: number, boxSeconds: number) {
  const startedAt = Date.now()
  const sets: [Checkout[], Checkout[]] = [[], []]
  const one = async () => {
    const checkout = await startCardCheckout(stack)
    if (checkout.postStatus !== 200) {
      throw new Error(`card post answered ${checkout.postStatus}`)
    }
    await passThreeDsOk(checkout.confirmUrl!)
    return { cartId: checkout.cartId, sessionId: checkout.sessionId, partnerTransId: `${checkout.sessionId}-1` }
  }
  let started = 0
  await pool(Array.from({ length: target }), 3, async () => {
    if ((Date.now() - startedAt) / 1000 > boxSeconds) {
      return
    }
    started++
    const [a, b] = await Promise.all([one(), one()])
    sets[0].push(a)
    sets[1].push(b)
  })
  const seconds = (Date.now() - startedAt) / 1000
  stack.checkoutSeconds = seconds / Math.max(1, started * 2)
  return { sets, seconds }
}

/**
 * Payments this store never made: a card saved directly at the sandbox, charged with pay_by_id
 * (paid at once, status 2), one set of `sizes[i]` payments per load. One gateway call each, no Medusa.
 */
async function foreignPayments(stack: Stack, sizes: number[]): Promise<string[][]> {
  const client = new PaysysClient({
    gatewayUrl: stack.sandbox.gatewayUrl,
    serviceId: "sandbox-service",
    secretKey: "sandbox-secret",
    timeoutMs: 10_000,
  })
  const tag = randomBytes(3).toString("hex")
  const registered = await client.registerCard({
    card_number: CARDS.mastercard,
    card_expire: "30/12",
    card_cvc: "737",
    card_holder: "AZIZ KARIMOV",
    account: `other-shop-${tag}`,
  })
  await passThreeDsOk(registered.confirm_url)
  const token = (await stack.control.get(`/cards/${registered.card_id}`)).data.card.token as string
  const sets = sizes.map((size, set) =>
    Array.from({ length: size }, (_, i) => `other-shop-${tag}-${set}-${String(i + 1).padStart(6, "0")}`)
  )
  await pool(sets.flat(), 16, (id) =>
    client.payById(
      {
        partner_trans_id: id,
        card_id: registered.card_id,
        amount: AMOUNT_MINOR,
        currency: "uzs",
        client_ip_addr: "127.0.0.1",
        vendor_id: "100381",
        description: "Order payment",
      },
      token
    )
  )
  return sets
}

/** The status notification bodies PaySys would have sent, from the sandbox's delivery log (dropped ones). */
async function droppedBodies(stack: Stack, ids: string[]): Promise<Map<string, string>> {
  const { notifications } = (await stack.control.get("/notifications", { maxContentLength: Infinity })).data as {
    notifications: Delivery[]
  }
  const bodies = new Map<string, string>()
  for (const delivery of notifications) {
    if (delivery.kind === "status" && delivery.state === "dropped") {
      bodies.set(delivery.partner_trans_id, JSON.stringify(delivery.body))
    }
  }
  const missing = ids.filter((id) => !bodies.has(id))
  if (missing.length) {
    throw new Error(`no dropped notification for ${missing.length} payment(s), e.g. ${missing[0]}`)
  }
  return bodies
}

function seeded(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
}

/**
 * Every body once, the real ones evenly spread (orders are placed while the load is on), the
 * foreign ones shuffled between them; plus duplicates making up `share` of all requests, in a
 * fixed pseudo-random order.
 */
export function sequence(real: string[], foreign: string[], share: number): string[] {
  const random = seeded(42)
  const others = [...foreign]
  for (let i = others.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[others[i], others[j]] = [others[j], others[i]]
  }
  const total = real.length + others.length
  const realAt = new Set(real.map((_, i) => Math.floor(((i + 0.5) * total) / real.length)))
  const order: string[] = []
  let nextReal = 0
  let nextOther = 0
  for (let at = 0; at < total; at++) {
    order.push(realAt.has(at) ? real[nextReal++] : others[nextOther++])
  }
  const duplicates = Math.round((total * share) / (1 - share))
  for (let d = 0; d < duplicates; d++) {
    const original = Math.floor(random() * order.length)
    // half right behind the original (in flight together), half anywhere after it
    const at = d % 2 === 0 ? original + 1 : original + 1 + Math.floor(random() * (order.length - original))
    order.splice(at, 0, order[original])
  }
  return order
}

/**
 * Notifications of payments nobody holds (accounts `warmup-…`), made from one of the sandbox's
 * bodies: what warms a route up without touching the measured payments.
 */
function warmupBodies(template: string, route: string, count: number): string[] {
  const body = JSON.parse(template) as Record<string, unknown>
  const tag = randomBytes(3).toString("hex")
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({ ...body, id: `warmup-${tag}-${route}-${i}`, account: `warmup-${tag}-${route}-${i}` })
  )
}

type Fired = autocannon.Result & {
  seconds: number
  startedAt: number
  endedAt: number
  loadCpu: Cpu
  /** every answer's time in ms, as autocannon's clients timed it */
  latencies: number[]
  /** the server's heap at the last answer */
  heapAtEnd: HeapState
}

async function fire(
  stack: Stack,
  url: string,
  requests: string[],
  connections: number,
  authorization: string
): Promise<Fired> {
  let next = 0
  let answers = 0
  const latencies: number[] = []
  const startedAt = Date.now()
  const started = performance.now()
  const cpuBefore = cpuNow(stack)
  // autocannon ends a run on its one-second sampling tick: the load's time (and the server's CPU
  // time and heap during it) is to the last answer
  let answeredAt = started
  let cpuAtLastAnswer = cpuBefore
  let heapAtEnd: Promise<HeapState> | null = null
  const result = await autocannon({
    url,
    connections,
    amount: requests.length,
    timeout: 30,
    method: "POST",
    headers: { "content-type": "application/json", authorization },
    setupClient: (client) => client.on("response", (_status: number, _bytes: number, ms: number) => latencies.push(ms)),
    requests: [
      {
        method: "POST",
        setupRequest: (request) => ({ ...request, body: requests[next++] }),
        onResponse: () => {
          answeredAt = performance.now()
          if (++answers === requests.length) {
            cpuAtLastAnswer = cpuNow(stack)
            heapAtEnd = stack.medusa.command<HeapState>({ cmd: "heap" })
          }
        },
      },
    ],
  })
  if (next !== requests.length || heapAtEnd === null) {
    throw new Error(`autocannon sent ${next} requests and had ${answers} answers, ${requests.length} expected`)
  }
  return {
    ...result,
    seconds: (answeredAt - started) / 1000,
    startedAt,
    endedAt: startedAt + Math.round(answeredAt - started),
    loadCpu: cpuUsed(cpuBefore, cpuAtLastAnswer),
    latencies,
    heapAtEnd: await heapAtEnd,
  }
}

async function perCart(stack: Stack, checkouts: Checkout[]) {
  if (!checkouts.length) {
    return { withOrder: 0, exactlyOne: 0, more: [] }
  }
  const { rows } = await stack.db.raw(
    `select c.cart_id,
       (select count(*)::int from order_cart o where o.cart_id = c.cart_id and o.deleted_at is null) as orders,
       (select count(*)::int from payment p where p.payment_session_id = c.session_id and p.deleted_at is null) as payments,
       (select count(*)::int from capture x join payment p on p.id = x.payment_id where p.payment_session_id = c.session_id and x.deleted_at is null) as captures
     from unnest(?::text[], ?::text[]) as c(cart_id, session_id)`,
    [checkouts.map((c) => c.cartId), checkouts.map((c) => c.sessionId)]
  )
  const all = rows as { cart_id: string; orders: number; payments: number; captures: number }[]
  return {
    withOrder: all.filter((r) => r.orders >= 1).length,
    exactlyOne: all.filter((r) => r.orders === 1 && r.payments === 1 && r.captures === 1).length,
    more: all.filter((r) => r.orders > 1 || r.payments > 1 || r.captures > 1),
  }
}

async function checkPaymentCalls(stack: Stack, checkouts: Checkout[], foreign: string[]) {
  const { calls } = (await stack.control.get("/calls?method=paysys.check_payment", { maxContentLength: Infinity }))
    .data as { calls: { partner_trans_id: string }[] }
  const per = new Map<string, number>()
  for (const call of calls) {
    per.set(call.partner_trans_id, (per.get(call.partner_trans_id) ?? 0) + 1)
  }
  const values = checkouts.map((c) => per.get(c.partnerTransId) ?? 0)
  return {
    total: values.reduce((a, b) => a + b, 0),
    max: Math.max(...values),
    min: Math.min(...values),
    per,
    // a payment not in the ledger is never acted on, so never checked
    foreign: foreign.reduce((sum, id) => sum + (per.get(id) ?? 0), 0),
  }
}

/** Polls until every real cart has an order (and, given `unprocessed`, nothing is left to process); times from `from`. */
async function drain(
  stack: Stack,
  checkouts: Checkout[],
  from: number,
  timeoutMs: number,
  unprocessed?: () => Promise<number>
) {
  let ordersAt: number | null = null
  let processedAt: number | null = null
  await waitFor(
    "the processing to drain",
    async () => {
      if (ordersAt === null && (await perCart(stack, checkouts)).withOrder === checkouts.length) {
        ordersAt = Date.now()
      }
      if (unprocessed && processedAt === null && (await unprocessed()) === 0) {
        processedAt = Date.now()
      }
      return ordersAt !== null && (!unprocessed || processedAt !== null)
    },
    timeoutMs,
    200
  ).catch(() => undefined)
  const seconds = (at: number | null) => (at === null ? null : (at - from) / 1000)
  return { orders: seconds(ordersAt), processed: seconds(processedAt) }
}

/**
 * Waits, from `notBefore` on, for the Medusa server to go idle (under 5% of a core over a
 * second) and answers when its work ended; null when its CPU time cannot be read (not Linux).
 */
async function serverIdle(stack: Stack, notBefore: number, timeoutMs: number): Promise<number | null> {
  await sleep(Math.max(0, notBefore - Date.now()))
  const deadline = Date.now() + timeoutMs
  let before = processCpuMs(stack.medusa.pid)
  while (before !== null && Date.now() < deadline) {
    const at = Date.now()
    await sleep(1000)
    const after = processCpuMs(stack.medusa.pid)
    if (after !== null && after - before < 50) {
      return at
    }
    before = after
  }
  return null
}

/** CPU time (ms) of the Medusa server and of the embedded PostgreSQL so far. */
const cpuNow = (stack: Stack) => ({ medusa: processCpuMs(stack.medusa.pid), postgres: postgresCpuMs() })

type Cpu = ReturnType<typeof cpuNow>

const cpuUsed = (from: Cpu, to: Cpu): Cpu => ({
  medusa: from.medusa === null || to.medusa === null ? null : to.medusa - from.medusa,
  postgres: from.postgres === null || to.postgres === null ? null : to.postgres - from.postgres,
})

type RouteKey = "plugin" | "stock"

const ROUTES: Record<RouteKey, { label: string; path: string }> = {
  plugin: { label: "`/hooks/paysys` (plugin)", path: "/hooks/paysys" },
  stock: { label: "`/hooks/payment/pp_paysys_paysys` (Medusa's stock route)", path: "/hooks/payment/pp_paysys_paysys" },
}

/** One load of one route in one round, and its aftermath until the server was idle again. */
type Load = {
  round: number
  route: RouteKey
  sent: number
  fired: Fired
  /** major garbage collections between the first request and the last answer */
  majorCollections: number
  /** what the server allocated from the load's first request to its last answer (heap growth plus what was collected) */
  allocatedMb: number
  /** seconds from the first request: every real order placed; every notification processed (the stock route: the server idle again, to a second) */
  drained: { orders: number | null; processed: number | null }
  /** the server's work for the load, from the first request until it was idle again */
  cpu: Cpu
}

const unprocessed = async (stack: Stack, ids: string[]) => {
  const { rows } = await stack.db.raw(
    `select count(*)::int as count from paysys_notification where partner_trans_id = any(?) and processed_at is null`,
    [ids]
  )
  return rows[0].count as number
}

/**
 * One measured load: it starts on an idle server, then waits for the route's processing to end
 * (the plugin: every notification processed; the stock route: the server idle after its delay)
 * and for the server to go idle again.
 */
async function measureLoad(
  stack: Stack,
  route: RouteKey,
  round: number,
  requests: string[],
  ids: string[],
  checkouts: Checkout[],
  options: Options,
  authorization: string,
  drainTimeoutMs: number
): Promise<Load> {
  await serverIdle(stack, Date.now(), 60_000)
  const heapBefore = await stack.medusa.command<HeapState>({ cmd: "heap" })
  log(`  round ${round}, ${ROUTES[route].path}: ${requests.length} requests`)
  const cpuBefore = cpuNow(stack)
  const fired = await fire(
    stack,
    `${stack.medusa.url}${ROUTES[route].path}`,
    requests,
    options.connections,
    authorization
  )
  let drained: Load["drained"]
  if (route === "plugin") {
    drained = await drain(stack, checkouts, fired.startedAt, drainTimeoutMs, () => unprocessed(stack, ids))
    await serverIdle(stack, Date.now(), 60_000)
  } else {
    // the stock route records nothing: the orders are the only trace of its processing
    const orders = await drain(stack, checkouts, fired.startedAt, drainTimeoutMs)
    // every request is processed STOCK_DELAY_MS after its answer, duplicates included: its
    // processing is over when the server is idle again after the last one started
    const idleAt = await serverIdle(stack, fired.endedAt + STOCK_DELAY_MS, drainTimeoutMs)
    if (idleAt === null) {
      await sleep(Math.max(0, fired.endedAt + STOCK_DELAY_MS + 5000 - Date.now()))
    }
    drained = { orders: orders.orders, processed: idleAt === null ? null : (idleAt - fired.startedAt) / 1000 }
  }
  return {
    round,
    route,
    sent: requests.length,
    fired,
    majorCollections: fired.heapAtEnd.majorCollections - heapBefore.majorCollections,
    allocatedMb: fired.heapAtEnd.usedMb - heapBefore.usedMb + fired.heapAtEnd.collectedMb - heapBefore.collectedMb,
    drained,
    cpu: cpuUsed(cpuBefore, cpuNow(stack)),
  }
}

const sumCpu = (cpus: Cpu[]): Cpu => ({
  medusa: cpus.some((c) => c.medusa === null) ? null : cpus.reduce((a, c) => a + c.medusa!, 0),
  postgres: cpus.some((c) => c.postgres === null) ? null : cpus.reduce((a, c) => a + c.postgres!, 0),
})

/** A route's loads taken together: every request over every load's time, every answer's latency. */
function pooled(loads: Load[]) {
  const latencies = loads.flatMap((l) => l.fired.latencies)
  const sent = loads.reduce((a, l) => a + l.sent, 0)
  const seconds = loads.reduce((a, l) => a + l.fired.seconds, 0)
  return {
    loads: loads.length,
    sent,
    seconds,
    rate: sent / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    p99_9: percentile(latencies, 99.9),
    max: latencies.reduce((a, b) => Math.max(a, b), 0),
    non2xx: loads.reduce((a, l) => a + l.fired.non2xx, 0),
    errors: loads.reduce((a, l) => a + l.fired.errors, 0),
    majorCollections: loads.reduce((a, l) => a + l.majorCollections, 0),
    allocatedMbPer1000: (loads.reduce((a, l) => a + l.allocatedMb, 0) / sent) * 1000,
    loadCpu: sumCpu(loads.map((l) => l.fired.loadCpu)),
    cpu: sumCpu(loads.map((l) => l.cpu)),
  }
}

type Pooled = ReturnType<typeof pooled>

export async function measureWebhookIngestion(stack: Stack, options: Options): Promise<Section> {
  const problems: string[] = []
  const startedAt = Date.now()
  const authorization = notificationAuthHeader("sandbox-vendor", "sandbox-vendor-secret")
  // draining a route takes about 10 ms per notification on 2 cores; never less than 4 minutes
  const drainTimeoutMs = Math.max(240_000, options.notifications * 40)

  // ---- preparation: everything paid at PaySys, nothing told to Medusa
  await stack.control.post("/callbacks", { mode: "drop" })
  // the first round, its processing and the foreign payments take about 80 s at 2,000 per route,
  // each further round about ROUND_SECONDS_PER_1000 per 1,000; the rest is for checkouts
  const box = Math.max(
    20,
    options.allotSeconds -
      40 -
      options.notifications / 25 -
      ((options.rounds - 1) * ROUND_SECONDS_PER_1000 * options.notifications) / 1000
  )
  const { sets, seconds: checkoutSeconds } = await paidCheckouts(stack, options.orders, box)
  const orders = sets[0].length
  if (orders < options.orders) {
    problems.push(
      `time-boxed: ${orders} real checkouts per route instead of ${options.orders} (the ${box.toFixed(0)} s allotted to making them ran out); the other ${options.notifications - orders} notifications per route are foreign payments`
    )
  }
  log(
    `  ${orders * 2} checkouts paid at PaySys, callbacks dropped (${checkoutSeconds.toFixed(0)} s, ${(checkoutSeconds / Math.max(1, orders * 2)).toFixed(2)} s each)`
  )
  const foreignStartedAt = Date.now()
  // per round, one set per route: the first round's make up its real checkouts to `notifications`
  const foreignSizes = Array.from({ length: options.rounds * 2 }, (_, set) =>
    set < 2 ? options.notifications - orders : options.notifications
  )
  const foreign = await foreignPayments(stack, foreignSizes)
  const foreignSeconds = (Date.now() - foreignStartedAt) / 1000
  log(
    `  ${foreign.flat().length} foreign payments paid at the sandbox with pay_by_id, callbacks dropped (${foreignSeconds.toFixed(1)} s)`
  )
  await stack.control.post("/callbacks", { mode: "normal" })
  const checkouts: Record<RouteKey, Checkout[]> = { plugin: sets[0], stock: sets[1] }
  const bodies = await droppedBodies(stack, [...sets.flat().map((c) => c.partnerTransId), ...foreign.flat()])

  // ---- both routes warmed up, so neither load is measured on code the other already ran hot
  // (the server's JIT, its connection pool): each load lasts a second or two
  const template = bodies.get(foreign[0][0] ?? sets[0][0].partnerTransId)!
  const warmupStartedAt = Date.now()
  await fire(
    stack,
    `${stack.medusa.url}${ROUTES.plugin.path}`,
    warmupBodies(template, "a", options.warmup),
    options.connections,
    authorization
  )
  await fire(
    stack,
    `${stack.medusa.url}${ROUTES.stock.path}`,
    warmupBodies(template, "b", options.warmup),
    options.connections,
    authorization
  )
  // the stock route's processing comes STOCK_DELAY_MS after its answers
  await serverIdle(stack, Date.now() + STOCK_DELAY_MS, 60_000)
  log(
    `  warm-up: ${options.warmup} requests to each route, then the server idle (${((Date.now() - warmupStartedAt) / 1000).toFixed(1)} s)`
  )

  // ---- the rounds: one load per route each, the order swapped every round; the real checkouts
  // are in the first round's loads, the later rounds' are foreign payments only
  await stack.control.post("/calls/reset")
  const loads: Load[] = []
  const ids: Record<RouteKey, string[]> = { plugin: [], stock: [] }
  const deadline = startedAt + options.allotSeconds * 1000
  let lastRoundSeconds = 0
  for (let round = 1; round <= options.rounds; round++) {
    if (round > 2 && Date.now() + lastRoundSeconds * 1000 > deadline) {
      problems.push(
        `time-boxed: ${round - 1} rounds instead of ${options.rounds} (the ${options.allotSeconds.toFixed(0)} s allotted ran out)`
      )
      break
    }
    const roundStartedAt = Date.now()
    const order: RouteKey[] = round % 2 === 1 ? ["plugin", "stock"] : ["stock", "plugin"]
    for (const route of order) {
      const real = round === 1 ? checkouts[route] : []
      const others = foreign[(round - 1) * 2 + (route === "plugin" ? 0 : 1)]
      const loadIds = [...real.map((c) => c.partnerTransId), ...others]
      ids[route].push(...loadIds)
      const requests = sequence(
        real.map((c) => bodies.get(c.partnerTransId)!),
        others.map((id) => bodies.get(id)!),
        options.duplicateShare
      )
      const load = await measureLoad(
        stack,
        route,
        round,
        requests,
        loadIds,
        real,
        options,
        authorization,
        drainTimeoutMs
      )
      if (load.drained.orders === null || load.drained.processed === null) {
        problems.push(
          `${ROUTES[route].path}, round ${round}: ${load.drained.orders === null ? "carts still without an order" : "notifications still unprocessed"} after ${drainTimeoutMs / 1000} s`
        )
      }
      loads.push(load)
    }
    lastRoundSeconds = (Date.now() - roundStartedAt) / 1000
  }
  const rounds = Math.max(...loads.map((l) => l.round))
  const first = (route: RouteKey) => loads.find((l) => l.round === 1 && l.route === route)!

  // ---- exactly once at the plugin's route, over every round
  const { rows: recorded } = await stack.db.raw(
    `select partner_trans_id, deliveries, attempts, processed_at, outcome from paysys_notification where partner_trans_id = any(?)`,
    [ids.plugin]
  )
  const records = recorded as {
    partner_trans_id: string
    deliveries: number
    attempts: number
    processed_at: Date | null
    outcome: string | null
  }[]
  const sentToPlugin = loads.filter((l) => l.route === "plugin").reduce((a, l) => a + l.sent, 0)
  const firstRoundIds = new Set([...checkouts.plugin.map((c) => c.partnerTransId), ...foreign[0]])
  const firstProcessedAt = Math.min(
    ...records
      .filter((r) => firstRoundIds.has(r.partner_trans_id))
      .map((r) => r.processed_at?.getTime() ?? Number.POSITIVE_INFINITY)
  )
  const realIds = {
    plugin: new Set(checkouts.plugin.map((c) => c.partnerTransId)),
    stock: new Set(checkouts.stock.map((c) => c.partnerTransId)),
  }
  const foreignOf = (route: RouteKey) => ids[route].filter((id) => !realIds[route].has(id))
  const pluginChecks = await checkPaymentCalls(stack, checkouts.plugin, foreignOf("plugin"))
  const stockChecks = await checkPaymentCalls(stack, checkouts.stock, foreignOf("stock"))
  const pluginCarts = await perCart(stack, checkouts.plugin)
  const stockCarts = await perCart(stack, checkouts.stock)
  const real = realIds.plugin
  const distinct = new Set(records.map((r) => r.partner_trans_id)).size
  const deliveries = records.reduce((sum, r) => sum + r.deliveries, 0)
  // processing a notification counts one attempt and sets processed_at, under the
  // notification's lock; a real payment's processing (settling) also asks check_payment
  // once, and the order's authorization once more: more than 2 means it was settled again
  const checksOf = (id: string) => pluginChecks.per.get(id) ?? 0
  const processedOnce = records.filter(
    (r) =>
      r.processed_at &&
      r.attempts === 1 &&
      (real.has(r.partner_trans_id) ? checksOf(r.partner_trans_id) === 2 : checksOf(r.partner_trans_id) === 0)
  )
  const processedMore = records.filter(
    (r) =>
      r.attempts > 1 ||
      (real.has(r.partner_trans_id) ? checksOf(r.partner_trans_id) > 2 : checksOf(r.partner_trans_id) > 0)
  )
  const expectedOutcome = (r: { partner_trans_id: string }) =>
    real.has(r.partner_trans_id) ? "captured" : "unknown_payment"
  const unexpected = records.filter((r) => r.outcome !== expectedOutcome(r))
  const outcomes: Record<string, number> = {}
  records.forEach((r) => (outcomes[r.outcome ?? "unprocessed"] = (outcomes[r.outcome ?? "unprocessed"] ?? 0) + 1))
  if (records.length !== ids.plugin.length || distinct !== ids.plugin.length) {
    problems.push(
      `/hooks/paysys: ${records.length} notification rows (${distinct} payments) for ${ids.plugin.length} distinct notifications`
    )
  }
  if (deliveries !== sentToPlugin) {
    problems.push(`/hooks/paysys: ${deliveries} deliveries counted, ${sentToPlugin} sent`)
  }
  if (processedMore.length) {
    const example = processedMore[0]
    problems.push(
      `/hooks/paysys: ${processedMore.length} of ${records.length} notifications processed more than once ` +
        `(e.g. ${example.partner_trans_id}: ${example.attempts} attempts, ${checksOf(example.partner_trans_id)} check_payment calls, outcome ${example.outcome})`
    )
  }
  if (unexpected.length) {
    problems.push(
      `/hooks/paysys: ${unexpected.length} notification(s) with an unexpected outcome, e.g. ${unexpected[0].partner_trans_id}: ${unexpected[0].outcome}`
    )
  }
  if (pluginCarts.more.length || pluginCarts.exactlyOne !== orders) {
    problems.push(
      `/hooks/paysys: ${orders - pluginCarts.exactlyOne} cart(s) without exactly one order/payment/capture: ${JSON.stringify(pluginCarts.more.slice(0, 3))}`
    )
  }
  if (stockCarts.more.length) {
    problems.push(
      `stock route: ${stockCarts.more.length} cart(s) with more than one order/payment/capture: ${JSON.stringify(stockCarts.more.slice(0, 3))}`
    )
  }
  if (stockChecks.foreign) {
    problems.push(`stock route: ${stockChecks.foreign} check_payment call(s) for payments not in the ledger`)
  }

  // ---- the targets, on every round's loads taken together
  const plugin = pooled(loads.filter((l) => l.route === "plugin"))
  const stock = pooled(loads.filter((l) => l.route === "stock"))
  const pluginDrained = first("plugin").drained
  const stockDrained = first("stock").drained
  const p99Ratio = plugin.p99 / stock.p99
  const targets = [
    {
      what: `p99 of the answer at most ${TARGETS.p99Ratio}× the stock route's`,
      met: p99Ratio <= TARGETS.p99Ratio,
      seen: `${ms(plugin.p99, 1)} vs ${ms(stock.p99, 1)}: ${p99Ratio.toFixed(2)}×`,
    },
    {
      what: "throughput at least the stock route's",
      met: plugin.rate >= stock.rate,
      seen: `${plugin.rate.toFixed(0)} vs ${stock.rate.toFixed(0)} requests/s: ${(plugin.rate / stock.rate).toFixed(2)}×`,
    },
    {
      what: `drain time (every real order placed) no worse than the stock route's (before this change: ${TARGETS.drainToday.plugin} s vs ${TARGETS.drainToday.stock} s)`,
      met: pluginDrained.orders !== null && stockDrained.orders !== null && pluginDrained.orders <= stockDrained.orders,
      seen:
        pluginDrained.orders !== null && stockDrained.orders !== null
          ? `${pluginDrained.orders.toFixed(1)} s vs ${stockDrained.orders.toFixed(1)} s: ${(pluginDrained.orders / stockDrained.orders).toFixed(2)}× (before: ${(TARGETS.drainToday.plugin / TARGETS.drainToday.stock).toFixed(2)}×)`
          : "not drained",
    },
    {
      what: "every notification recorded before its answer and processed exactly once",
      met:
        plugin.non2xx === 0 &&
        plugin.errors === 0 &&
        records.length === ids.plugin.length &&
        deliveries === sentToPlugin &&
        processedOnce.length === ids.plugin.length &&
        pluginCarts.exactlyOne === orders,
      seen: `${records.length} rows for ${ids.plugin.length} notifications, ${deliveries} deliveries for ${sentToPlugin} requests, ${processedOnce.length} processed once`,
    },
  ]
  for (const target of targets.filter((t) => !t.met)) {
    problems.push(`target missed: ${target.what} (${target.seen})`)
  }
  const byRound = Array.from({ length: rounds }, (_, i) => roundPair(loads.filter((l) => l.round === i + 1)))
  const spread = ratioSpread(byRound.map(({ plugin, stock }) => loadRate(plugin) / loadRate(stock)))

  const pluginFirst = first("plugin").fired
  const stockFirst = first("stock").fired
  const markdown = [
    table(LOAD_HEADER, [loadRow(ROUTES.plugin.label, plugin), loadRow(ROUTES.stock.label, stock)]),
    "",
    table(ROUND_HEADER, byRound.map(roundRow)),
    "",
    table(PROCESSING_HEADER, [
      processingRow(ROUTES.plugin.label, pluginDrained, pluginCarts, pluginChecks, orders),
      processingRow(ROUTES.stock.label, stockDrained, stockCarts, stockChecks, orders),
    ]),
    "",
    `**Targets** (the plugin's route against the stock route, every round's loads taken together):`,
    "",
    ...targets.map((t) => `- ${t.met ? "met" : "**missed**"}: ${t.what}: ${t.seen}.`),
    "",
    `Round by round, /hooks/paysys answered ${spread.min.toFixed(2)} to ${spread.max.toFixed(2)} times the stock route's requests/s ` +
      `(geometric mean ${spread.mean.toFixed(2)}, 95% interval ${spread.low.toFixed(2)} to ${spread.high.toFixed(2)} over ${rounds} rounds): ` +
      `a difference between the routes inside that interval is not one this run can tell.`,
    "",
    `Reading them: the targets are judged on all ${rounds} rounds taken together (requests over load time, and the percentiles of every answer), the order of the routes swapped every round: ` +
      `a load lasts a second or two, so one load's figures move with whatever else the machine did in that second, above all with a major garbage collection of the server falling in it (the rounds table shows both). ` +
      `The server allocates ${plugin.allocatedMbPer1000.toFixed(0)} MB per 1,000 answers at /hooks/paysys against ${stock.allocatedMbPer1000.toFixed(0)} MB at the stock route (Medusa's per-request work is most of it), so where a major collection falls is decided by the sequence of loads more than by the route; ` +
      `major collections during the loads: ${plugin.majorCollections} in the plugin's, ${stock.majorCollections} in the stock route's. ` +
      `The stock route's first-round load lasted ${stockFirst.seconds.toFixed(1)} s, ` +
      (stockFirst.seconds > STOCK_DELAY_MS / 1000
        ? `so its processing (${STOCK_DELAY_MS / 1000} s after each answer) ran beside the last ${(stockFirst.seconds - STOCK_DELAY_MS / 1000).toFixed(1)} s of it; `
        : `less than its ${STOCK_DELAY_MS / 1000} s processing delay, so none of its processing ran beside it: its answers are acknowledgements alone; `) +
      `/hooks/paysys's lasted ${pluginFirst.seconds.toFixed(1)} s; its processing waits for ${NOTIFICATION_QUIET_MS} ms without a notification (at most ${NOTIFICATION_MAX_PROCESSING_DELAY_MS / 1000} s), ` +
      `and its first notification was processed ${((firstProcessedAt - pluginFirst.endedAt) / 1000).toFixed(1)} s after the load's last answer. ` +
      `The server's CPU time per answer during the loads is what answering alone costs: /hooks/paysys validates, checks the Basic credentials and records each notification (group-committed INSERTs) before its answer; the stock route only queues an event. ` +
      `The CPU time per request, all its work, compares the whole work of each route, whenever it was done.`,
    "",
    `${rounds} rounds of one load per route. Each load is ${options.notifications} distinct status notifications plus ${Math.round(options.duplicateShare * 100)}% duplicates (half right behind their original, half later), ` +
      `sent by autocannon over ${options.connections} connections with PaySys's Basic credentials, as fast as the route answers, on the same server, ` +
      `after ${options.warmup} warm-up notifications to each route (payments nobody holds; not reported). ` +
      `In the first round's loads, ${orders} per route are real checkouts (paid at PaySys with the callback dropped: ${checkoutSeconds.toFixed(0)} s for ${orders * 2}), spread evenly through the load, whose processing places the order; ` +
      `every other notification is of a payment made and paid directly at PaySys (pay_by_id on a card saved at the sandbox, ${foreignSeconds.toFixed(0)} s for ${foreign.flat().length}), not in this store's ledger, ` +
      `as a PaySys account shared with another shop or a staging copy sends them: /hooks/paysys records and processes each (outcome \`unknown_payment\`), the stock route runs the provider's getWebhookActionAndData on each (no action). ` +
      `Latency is the time to the route's answer; requests/s is requests over the loads' wall time. ` +
      `The server's CPU time counts a route's whole work (answers and processing, whenever done), from a load's first request until the server was idle again; /hooks/paysys's includes the INSERT that records each notification before the answer. ` +
      `"Placed in" and "processed in" are the first round's, from its first request; the stock route records nothing, so its "processed in" is when the server went idle again (to a second).`,
    "",
    `**Exactly once at /hooks/paysys**, over every round: ${records.length} \`paysys_notification\` rows for ${ids.plugin.length} distinct notifications (${distinct} payments), ` +
      `${deliveries} deliveries counted for ${sentToPlugin} requests sent; processed once (processed_at set, one attempt, and check_payment calls at PaySys: 2 for a real payment, none for a foreign one): ${processedOnce.length}, more than once: ${processedMore.length}; ` +
      `outcomes ${Object.entries(outcomes)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")}.`,
    "",
    "check_payment per real payment: the floor is 2 (the notification's confirming check, then Medusa's authorization); each extra one is a duplicate delivery that was checked again. " +
      "A payment not in the ledger is acted on by neither route, so never checked.",
  ].join("\n")
  const summary = (
    p: Pooled,
    drained: Load["drained"],
    carts: { withOrder: number; exactlyOne: number },
    checks: { total: number; min: number; max: number; foreign: number }
  ) => ({
    ...p,
    orders,
    drained,
    carts: { withOrder: carts.withOrder, exactlyOne: carts.exactlyOne },
    checks: { total: checks.total, min: checks.min, max: checks.max, foreign: checks.foreign },
  })
  return {
    title: "Webhook ingestion: /hooks/paysys vs Medusa's stock route",
    markdown,
    problems,
    summary: {
      rounds: loads.map((l) => ({
        round: l.round,
        route: l.route,
        requestsPerSecond: loadRate(l),
        p99: loadP99(l),
        majorCollections: l.majorCollections,
        allocatedMb: l.allocatedMb,
      })),
      plugin: {
        ...summary(plugin, pluginDrained, pluginCarts, pluginChecks),
        deliveries,
        processedOnce: processedOnce.length,
        processedMore: processedMore.length,
        outcomes,
      },
      stock: summary(stock, stockDrained, stockCarts, stockChecks),
      targets,
      throughputRatioSpread: spread,
    },
  }
}

/** Student's t, two-sided 95%, by degrees of freedom (1 to 10; about 2 beyond) */
const T_95 = [12.71, 4.3, 3.18, 2.78, 2.57, 2.45, 2.36, 2.31, 2.26, 2.23]

const loadRate = (load: Load) => load.sent / load.fired.seconds

const loadP99 = (load: Load) => percentile(load.fired.latencies, 99)

/** One round's two loads, and which went first. */
function roundPair(loads: Load[]) {
  const of = (route: RouteKey) => loads.find((l) => l.route === route)!
  return { plugin: of("plugin"), stock: of("stock"), first: loads[0].route }
}

/** The rounds' throughput ratios (plugin over stock route): their range, geometric mean and its 95% interval. */
function ratioSpread(ratios: number[]) {
  const logs = ratios.map(Math.log)
  const mean = logs.reduce((a, b) => a + b, 0) / logs.length
  const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, logs.length - 1))
  const half = ((T_95[logs.length - 2] ?? 2) * sd) / Math.sqrt(logs.length)
  return {
    min: Math.min(...ratios),
    max: Math.max(...ratios),
    mean: Math.exp(mean),
    low: Math.exp(mean - half),
    high: Math.exp(mean + half),
  }
}

/** About how long a foreign-only round (one load per route, its processing, the idle waits) takes per 1,000 notifications on 2 cores. */
const ROUND_SECONDS_PER_1000 = 8

const LOAD_HEADER = [
  "route",
  "loads × requests",
  "requests/s (load time)",
  "p50",
  "p99",
  "p99.9",
  "max",
  "non-2xx / errors",
  "major GCs during the loads",
  "server heap allocated per 1,000 answers",
  "server CPU per answer during the loads: Medusa + PostgreSQL",
  "server CPU per request, all its work: Medusa + PostgreSQL",
]

function loadRow(label: string, p: Pooled) {
  const perRequest = (value: number | null) => (value === null ? "n/a" : ms(value / p.sent, 1))
  return [
    label,
    `${p.loads} × ${p.sent / p.loads}`,
    `${p.rate.toFixed(0)} (${p.seconds.toFixed(1)} s)`,
    ms(p.p50, 1),
    ms(p.p99, 1),
    ms(p.p99_9, 1),
    ms(p.max, 0),
    `${p.non2xx} / ${p.errors}`,
    p.majorCollections,
    `${p.allocatedMbPer1000.toFixed(0)} MB`,
    `${perRequest(p.loadCpu.medusa)} + ${perRequest(p.loadCpu.postgres)}`,
    `${perRequest(p.cpu.medusa)} + ${perRequest(p.cpu.postgres)}`,
  ]
}

const ROUND_HEADER = [
  "round (order)",
  "/hooks/paysys requests/s, p99",
  "stock route requests/s, p99",
  "throughput ratio",
  "p99 ratio",
  "major GCs in the loads (plugin, stock)",
]

function roundRow({ plugin, stock, first }: ReturnType<typeof roundPair>) {
  return [
    `${plugin.round} (${first === "plugin" ? "plugin first" : "stock first"})`,
    `${loadRate(plugin).toFixed(0)}, ${ms(loadP99(plugin), 1)}`,
    `${loadRate(stock).toFixed(0)}, ${ms(loadP99(stock), 1)}`,
    `${(loadRate(plugin) / loadRate(stock)).toFixed(2)}×`,
    `${(loadP99(plugin) / loadP99(stock)).toFixed(2)}×`,
    `${plugin.majorCollections}, ${stock.majorCollections}`,
  ]
}

const PROCESSING_HEADER = [
  "route",
  "real orders placed in",
  "every notification processed in",
  "real carts with exactly 1 order, 1 payment, 1 capture",
  "check_payment per real payment (min–max)",
  "check_payment for foreign payments",
]

function processingRow(
  label: string,
  drained: Load["drained"],
  carts: { exactlyOne: number },
  checks: { total: number; min: number; max: number; foreign: number },
  orders: number
) {
  const seconds = (value: number | null) => (value === null ? "not drained" : `${value.toFixed(1)} s`)
  return [
    label,
    seconds(drained.orders),
    seconds(drained.processed),
    `${carts.exactlyOne} / ${orders}`,
    `${(checks.total / Math.max(1, orders)).toFixed(2)} (${checks.min}–${checks.max})`,
    checks.foreign,
  ]
}
