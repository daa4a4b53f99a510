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
import { NOTIFICATION_MAX_PROCESSING_DELAY_MS, NOTIFICATION_QUIET_MS } from "../src/subscribers/paysys-notification-received"
import type { Section } from "./round-trips"
import { log, ms, passThreeDsOk, pool, postgresCpuMs, processCpuMs, sleep, Stack, startCardCheckout, table, waitFor } from "./stack"

type Options = {
  /** distinct notifications per route (real + foreign) */
  notifications: number
  /** of those, real checkouts per route whose processing places an order */
  orders: number
  duplicateShare: number
  connections: number
  /** requests per route sent before either load is measured (not reported) */
  warmup: number
  allotSeconds: number
}

/** The targets of issue #13: the plugin's route against the stock route, in the same run. */
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

type RouteSet = { checkouts: Checkout[]; foreign: string[] }

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
 * (paid at once, status 2), `perRoute` for each route. One gateway call each, no Medusa.
 */
async function foreignPayments(stack: Stack, perRoute: number): Promise<[string[], string[]]> {
  const client = new PaysysClient({ gatewayUrl: stack.sandbox.gatewayUrl, serviceId: "sandbox-service", secretKey: "sandbox-secret", timeoutMs: 10_000 })
  const tag = randomBytes(3).toString("hex")
  const registered = await client.registerCard({ card_number: CARDS.mastercard, card_expire: "30/12", card_cvc: "737", card_holder: "AZIZ KARIMOV", account: `other-shop-${tag}` })
  await passThreeDsOk(registered.confirm_url)
  const token = (await stack.control.get(`/cards/${registered.card_id}`)).data.card.token as string
  const ids = (route: string) => Array.from({ length: perRoute }, (_, i) => `other-shop-${tag}-${route}-${String(i + 1).padStart(6, "0")}`)
  const sets: [string[], string[]] = [ids("a"), ids("b")]
  await pool([...sets[0], ...sets[1]], 16, (id) =>
    client.payById(
      { partner_trans_id: id, card_id: registered.card_id, amount: AMOUNT_MINOR, currency: "uzs", client_ip_addr: "127.0.0.1", vendor_id: "100381", description: "Order payment" },
      token
    )
  )
  return sets
}

/** The status notification bodies PaySys would have sent, from the sandbox's delivery log (dropped ones). */
async function droppedBodies(stack: Stack, ids: string[]): Promise<Map<string, string>> {
  const { notifications } = (await stack.control.get("/notifications", { maxContentLength: Infinity })).data as { notifications: Delivery[] }
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
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
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
  return Array.from({ length: count }, (_, i) => JSON.stringify({ ...body, id: `warmup-${tag}-${route}-${i}`, account: `warmup-${tag}-${route}-${i}` }))
}

type Fired = autocannon.Result & { seconds: number; startedAt: number; endedAt: number; loadCpu: Cpu }

async function fire(stack: Stack, url: string, requests: string[], connections: number, authorization: string): Promise<Fired> {
  let next = 0
  let answers = 0
  const startedAt = Date.now()
  const started = performance.now()
  const cpuBefore = cpuNow(stack)
  // autocannon ends a run on its one-second sampling tick: the load's time (and the server's CPU
  // time during it) is to the last answer
  let answeredAt = started
  let cpuAtLastAnswer = cpuBefore
  const result = await autocannon({
    url,
    connections,
    amount: requests.length,
    timeout: 30,
    method: "POST",
    headers: { "content-type": "application/json", authorization },
    requests: [
      {
        method: "POST",
        setupRequest: (request) => ({ ...request, body: requests[next++] }),
        onResponse: () => {
          answeredAt = performance.now()
          if (++answers === requests.length) {
            cpuAtLastAnswer = cpuNow(stack)
          }
        },
      },
    ],
  })
  if (next !== requests.length) {
    throw new Error(`autocannon sent ${next} requests, ${requests.length} expected`)
  }
  return {
    ...result,
    seconds: (answeredAt - started) / 1000,
    startedAt,
    endedAt: startedAt + Math.round(answeredAt - started),
    loadCpu: cpuUsed(cpuBefore, cpuAtLastAnswer),
  }
}

async function perCart(stack: Stack, checkouts: Checkout[]) {
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
  const { calls } = (await stack.control.get("/calls?method=paysys.check_payment", { maxContentLength: Infinity })).data as { calls: { partner_trans_id: string }[] }
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
async function drain(stack: Stack, checkouts: Checkout[], from: number, timeoutMs: number, unprocessed?: () => Promise<number>) {
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

type RouteResult = {
  label: string
  sent: number
  distinct: number
  fired: Fired
  /** seconds from the first request: every real order placed; every notification processed (the stock route: the server idle again, to a second) */
  drained: { orders: number | null; processed: number | null }
  /** the server's work for the route, from the first request until it was idle again */
  cpu: Cpu
  carts: { withOrder: number; exactlyOne: number }
  checks: { min: number; max: number; total: number; foreign: number }
  orders: number
}

export async function measureWebhookIngestion(stack: Stack, options: Options): Promise<Section> {
  const problems: string[] = []
  const authorization = notificationAuthHeader("sandbox-vendor", "sandbox-vendor-secret")
  // draining a route takes about 10 ms per notification on 2 cores; never less than 4 minutes
  const drainTimeoutMs = Math.max(240_000, options.notifications * 40)

  // ---- preparation: everything paid at PaySys, nothing told to Medusa
  await stack.control.post("/callbacks", { mode: "drop" })
  // the loads, the processing and the foreign payments take about 80 s at 2,000 per route; the rest is for checkouts
  const box = Math.max(20, options.allotSeconds - 40 - options.notifications / 25)
  const { sets, seconds: checkoutSeconds } = await paidCheckouts(stack, options.orders, box)
  const orders = sets[0].length
  if (orders < options.orders) {
    problems.push(`time-boxed: ${orders} real checkouts per route instead of ${options.orders} (the ${box.toFixed(0)} s allotted to making them ran out); the other ${options.notifications - orders} notifications per route are foreign payments`)
  }
  log(`  ${orders * 2} checkouts paid at PaySys, callbacks dropped (${checkoutSeconds.toFixed(0)} s, ${(checkoutSeconds / Math.max(1, orders * 2)).toFixed(2)} s each)`)
  const foreignStartedAt = Date.now()
  const foreign = await foreignPayments(stack, options.notifications - orders)
  const foreignSeconds = (Date.now() - foreignStartedAt) / 1000
  log(`  ${foreign[0].length * 2} foreign payments paid at the sandbox with pay_by_id, callbacks dropped (${foreignSeconds.toFixed(1)} s)`)
  await stack.control.post("/callbacks", { mode: "normal" })
  const routes: [RouteSet, RouteSet] = [
    { checkouts: sets[0], foreign: foreign[0] },
    { checkouts: sets[1], foreign: foreign[1] },
  ]
  const bodies = await droppedBodies(stack, routes.flatMap((r) => [...r.checkouts.map((c) => c.partnerTransId), ...r.foreign]))
  const requestsOf = (set: RouteSet) =>
    sequence(
      set.checkouts.map((c) => bodies.get(c.partnerTransId)!),
      set.foreign.map((id) => bodies.get(id)!),
      options.duplicateShare
    )

  // ---- both routes warmed up, so neither load is measured on code the other already ran hot
  // (the server's JIT, its connection pool): each load lasts a second or two
  const template = bodies.get(routes[0].foreign[0] ?? routes[0].checkouts[0].partnerTransId)!
  const warmupStartedAt = Date.now()
  await fire(stack, `${stack.medusa.url}/hooks/paysys`, warmupBodies(template, "a", options.warmup), options.connections, authorization)
  await fire(stack, `${stack.medusa.url}/hooks/payment/pp_paysys_paysys`, warmupBodies(template, "b", options.warmup), options.connections, authorization)
  // the stock route's processing comes STOCK_DELAY_MS after its answers
  await serverIdle(stack, Date.now() + STOCK_DELAY_MS, 60_000)
  log(`  warm-up: ${options.warmup} requests to each route, then the server idle (${((Date.now() - warmupStartedAt) / 1000).toFixed(1)} s)`)

  // ---- the plugin's route
  const plugin = routes[0]
  const pluginIds = [...plugin.checkouts.map((c) => c.partnerTransId), ...plugin.foreign]
  const pluginRequests = requestsOf(plugin)
  await stack.control.post("/calls/reset")
  // both loads start on an idle server (the stock route's comes after the plugin's processing)
  await serverIdle(stack, Date.now(), 60_000)
  log(`  /hooks/paysys: ${pluginRequests.length} requests`)
  const pluginCpuBefore = cpuNow(stack)
  const pluginFired = await fire(stack, `${stack.medusa.url}/hooks/paysys`, pluginRequests, options.connections, authorization)
  const pluginDrained = await drain(stack, plugin.checkouts, pluginFired.startedAt, drainTimeoutMs, async () => {
    const { rows } = await stack.db.raw(
      `select count(*)::int as count from paysys_notification where partner_trans_id = any(?) and processed_at is null`,
      [pluginIds]
    )
    return rows[0].count
  })
  if (pluginDrained.orders === null || pluginDrained.processed === null) {
    problems.push(`/hooks/paysys: ${pluginDrained.orders === null ? "carts still without an order" : "notifications still unprocessed"} after ${drainTimeoutMs / 1000} s`)
  }
  await serverIdle(stack, Date.now(), 60_000)
  const pluginCpu = cpuUsed(pluginCpuBefore, cpuNow(stack))
  const { rows: recorded } = await stack.db.raw(
    `select partner_trans_id, deliveries, attempts, processed_at, outcome from paysys_notification where partner_trans_id = any(?)`,
    [pluginIds]
  )
  const records = recorded as { partner_trans_id: string; deliveries: number; attempts: number; processed_at: Date | null; outcome: string | null }[]
  const firstProcessedAt = Math.min(...records.map((r) => r.processed_at?.getTime() ?? Number.POSITIVE_INFINITY))
  const pluginChecks = await checkPaymentCalls(stack, plugin.checkouts, plugin.foreign)
  const pluginCarts = await perCart(stack, plugin.checkouts)
  const real = new Set(plugin.checkouts.map((c) => c.partnerTransId))
  const distinct = new Set(records.map((r) => r.partner_trans_id)).size
  const deliveries = records.reduce((sum, r) => sum + r.deliveries, 0)
  // processing a notification counts one attempt and sets processed_at, under the
  // notification's lock; a real payment's processing (settling) also asks check_payment
  // once, and the order's authorization once more: more than 2 means it was settled again
  const checksOf = (id: string) => pluginChecks.per.get(id) ?? 0
  const processedOnce = records.filter((r) => r.processed_at && r.attempts === 1 && (real.has(r.partner_trans_id) ? checksOf(r.partner_trans_id) === 2 : checksOf(r.partner_trans_id) === 0))
  const processedMore = records.filter((r) => r.attempts > 1 || (real.has(r.partner_trans_id) ? checksOf(r.partner_trans_id) > 2 : checksOf(r.partner_trans_id) > 0))
  const expectedOutcome = (r: { partner_trans_id: string }) => (real.has(r.partner_trans_id) ? "captured" : "unknown_payment")
  const unexpected = records.filter((r) => r.outcome !== expectedOutcome(r))
  const outcomes: Record<string, number> = {}
  records.forEach((r) => (outcomes[r.outcome ?? "unprocessed"] = (outcomes[r.outcome ?? "unprocessed"] ?? 0) + 1))
  if (records.length !== pluginIds.length || distinct !== pluginIds.length) {
    problems.push(`/hooks/paysys: ${records.length} notification rows (${distinct} payments) for ${pluginIds.length} distinct notifications`)
  }
  if (deliveries !== pluginRequests.length) {
    problems.push(`/hooks/paysys: ${deliveries} deliveries counted, ${pluginRequests.length} sent`)
  }
  if (processedMore.length) {
    const example = processedMore[0]
    problems.push(
      `/hooks/paysys: ${processedMore.length} of ${records.length} notifications processed more than once ` +
        `(e.g. ${example.partner_trans_id}: ${example.attempts} attempts, ${checksOf(example.partner_trans_id)} check_payment calls, outcome ${example.outcome})`
    )
  }
  if (unexpected.length) {
    problems.push(`/hooks/paysys: ${unexpected.length} notification(s) with an unexpected outcome, e.g. ${unexpected[0].partner_trans_id}: ${unexpected[0].outcome}`)
  }
  if (pluginCarts.more.length || pluginCarts.exactlyOne !== orders) {
    problems.push(`/hooks/paysys: ${orders - pluginCarts.exactlyOne} cart(s) without exactly one order/payment/capture: ${JSON.stringify(pluginCarts.more.slice(0, 3))}`)
  }
  const pluginResult: RouteResult = {
    label: "`/hooks/paysys` (plugin)",
    sent: pluginRequests.length,
    distinct: pluginIds.length,
    fired: pluginFired,
    drained: pluginDrained,
    cpu: pluginCpu,
    carts: pluginCarts,
    checks: pluginChecks,
    orders,
  }

  // ---- Medusa's stock route, same server, same load
  const stock = routes[1]
  const stockRequests = requestsOf(stock)
  await stack.control.post("/calls/reset")
  log(`  /hooks/payment/pp_paysys_paysys: ${stockRequests.length} requests`)
  const stockCpuBefore = cpuNow(stack)
  const stockFired = await fire(stack, `${stack.medusa.url}/hooks/payment/pp_paysys_paysys`, stockRequests, options.connections, authorization)
  // the stock route records nothing: the orders are the only trace of its processing
  const stockOrders = await drain(stack, stock.checkouts, stockFired.startedAt, drainTimeoutMs)
  if (stockOrders.orders === null) {
    problems.push(`stock route: carts still without an order after ${drainTimeoutMs / 1000} s`)
  }
  // every request is processed STOCK_DELAY_MS after its answer, duplicates included: its
  // processing is over when the server is idle again after the last one started
  const stockIdleAt = await serverIdle(stack, stockFired.endedAt + STOCK_DELAY_MS, drainTimeoutMs)
  if (stockIdleAt === null) {
    await sleep(Math.max(0, stockFired.endedAt + STOCK_DELAY_MS + 5000 - Date.now()))
  }
  const stockCpu = cpuUsed(stockCpuBefore, cpuNow(stack))
  const stockDrained = { orders: stockOrders.orders, processed: stockIdleAt === null ? null : (stockIdleAt - stockFired.startedAt) / 1000 }
  const stockCarts = await perCart(stack, stock.checkouts)
  const stockChecks = await checkPaymentCalls(stack, stock.checkouts, stock.foreign)
  if (stockCarts.more.length) {
    problems.push(`stock route: ${stockCarts.more.length} cart(s) with more than one order/payment/capture: ${JSON.stringify(stockCarts.more.slice(0, 3))}`)
  }
  if (stockChecks.foreign) {
    problems.push(`stock route: ${stockChecks.foreign} check_payment call(s) for payments not in the ledger`)
  }
  const stockResult: RouteResult = {
    label: "`/hooks/payment/pp_paysys_paysys` (Medusa's stock route)",
    sent: stockRequests.length,
    distinct: orders + stock.foreign.length,
    fired: stockFired,
    drained: stockDrained,
    cpu: stockCpu,
    carts: stockCarts,
    checks: stockChecks,
    orders,
  }

  // ---- the targets, computed
  const rate = (r: RouteResult) => r.sent / r.fired.seconds
  const p99Ratio = pluginFired.latency.p99 / stockFired.latency.p99
  const targets = [
    {
      what: `p99 of the answer at most ${TARGETS.p99Ratio}× the stock route's`,
      met: p99Ratio <= TARGETS.p99Ratio,
      seen: `${ms(pluginFired.latency.p99, 0)} vs ${ms(stockFired.latency.p99, 0)}: ${p99Ratio.toFixed(2)}×`,
    },
    {
      what: "throughput at least the stock route's",
      met: rate(pluginResult) >= rate(stockResult),
      seen: `${rate(pluginResult).toFixed(0)} vs ${rate(stockResult).toFixed(0)} requests/s: ${(rate(pluginResult) / rate(stockResult)).toFixed(2)}×`,
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
        pluginFired.non2xx === 0 &&
        pluginFired.errors === 0 &&
        records.length === pluginIds.length &&
        deliveries === pluginRequests.length &&
        processedOnce.length === pluginIds.length &&
        pluginCarts.exactlyOne === orders,
      seen: `${records.length} rows for ${pluginIds.length} notifications, ${deliveries} deliveries for ${pluginRequests.length} requests, ${processedOnce.length} processed once`,
    },
  ]
  for (const target of targets.filter((t) => !t.met)) {
    problems.push(`target missed: ${target.what} (${target.seen})`)
  }

  const markdown = [
    table(LOAD_HEADER, [loadRow(pluginResult), loadRow(stockResult)]),
    "",
    table(PROCESSING_HEADER, [processingRow(pluginResult), processingRow(stockResult)]),
    "",
    `**Targets** (issue #13; the plugin's route against the stock route, in this run):`,
    "",
    ...targets.map((t) => `- ${t.met ? "met" : "**missed**"}: ${t.what}: ${t.seen}.`),
    "",
    `Reading them: the stock route's load lasted ${stockFired.seconds.toFixed(1)} s, ` +
      (stockFired.seconds > STOCK_DELAY_MS / 1000
        ? `so its processing (${STOCK_DELAY_MS / 1000} s after each answer) ran beside the last ${(stockFired.seconds - STOCK_DELAY_MS / 1000).toFixed(1)} s of it; `
        : `less than its ${STOCK_DELAY_MS / 1000} s processing delay, so none of its processing ran beside it: its answers are acknowledgements alone; `) +
      `/hooks/paysys's load lasted ${pluginFired.seconds.toFixed(1)} s; its processing waits for ${NOTIFICATION_QUIET_MS} ms without a notification (at most ${NOTIFICATION_MAX_PROCESSING_DELAY_MS / 1000} s), ` +
      `and its first notification was processed ${((firstProcessedAt - pluginFired.endedAt) / 1000).toFixed(1)} s after the load's last answer ` +
      `(every notification processed ${pluginDrained.processed === null ? "(not drained)" : `${pluginDrained.processed.toFixed(1)} s`} after the first request). ` +
      `The server's CPU time per answer during the load is what answering alone costs: /hooks/paysys validates, checks the Basic credentials and records each notification (group-committed INSERTs) before its answer; the stock route only queues an event. ` +
      `The CPU time per request, all its work, compares the whole work of each route, whenever it was done.`,
    "",
    `${pluginIds.length} distinct status notifications per route, plus ${Math.round(options.duplicateShare * 100)}% duplicates (half right behind their original, half later), ` +
      `sent by autocannon over ${options.connections} connections with PaySys's Basic credentials, one route after the other on the same server, ` +
      `after ${options.warmup} warm-up notifications to each route (payments nobody holds; not reported) and the server idle again. ` +
      `${orders} per route are real checkouts (paid at PaySys with the callback dropped: ${checkoutSeconds.toFixed(0)} s for ${orders * 2}), spread evenly through the load, whose processing places the order; ` +
      `the other ${stock.foreign.length} are payments made and paid directly at PaySys (pay_by_id on a card saved at the sandbox, ${foreignSeconds.toFixed(0)} s for ${stock.foreign.length * 2}), not in this store's ledger, ` +
      `as a PaySys account shared with another shop or a staging copy sends them: /hooks/paysys records and processes each (outcome \`unknown_payment\`), the stock route runs the provider's getWebhookActionAndData on each (no action). ` +
      `Latency is the time to the route's answer; requests/s is all requests over the load's wall time. ` +
      `The server's CPU time counts a route's whole work (answers and processing, whenever done), from its first request until the server was idle again; /hooks/paysys's includes the INSERT that records each notification before the answer. ` +
      `"Placed in" and "processed in" are from the first request; the stock route records nothing, so its "processed in" is when the server went idle again (to a second).`,
    "",
    `**Exactly once at /hooks/paysys**: ${records.length} \`paysys_notification\` rows for ${pluginIds.length} distinct notifications (${distinct} payments), ` +
      `${deliveries} deliveries counted for ${pluginRequests.length} requests sent; processed once (processed_at set, one attempt, and check_payment calls at PaySys: 2 for a real payment, none for a foreign one): ${processedOnce.length}, more than once: ${processedMore.length}; ` +
      `outcomes ${Object.entries(outcomes).map(([k, v]) => `${k} ${v}`).join(", ")}; ` +
      `every notification processed ${pluginDrained.processed === null ? "(not drained)" : `${pluginDrained.processed.toFixed(1)} s after the first request (the load took ${pluginFired.seconds.toFixed(1)} s)`}.`,
    "",
    "check_payment per real payment: the floor is 2 (the notification's confirming check, then Medusa's authorization); each extra one is a duplicate delivery that was checked again. " +
      "A payment not in the ledger is acted on by neither route, so never checked.",
  ].join("\n")
  const summary = (r: RouteResult) => ({
    requests: r.sent,
    distinct: r.distinct,
    orders: r.orders,
    requestsPerSecond: rate(r),
    latency: { p50: r.fired.latency.p50, p99: r.fired.latency.p99, p99_9: r.fired.latency.p99_9, max: r.fired.latency.max },
    non2xx: r.fired.non2xx,
    errors: r.fired.errors,
    drained: r.drained,
    cpuMs: r.cpu,
    carts: { withOrder: r.carts.withOrder, exactlyOne: r.carts.exactlyOne },
    checks: { total: r.checks.total, min: r.checks.min, max: r.checks.max, foreign: r.checks.foreign },
  })
  return {
    title: "Webhook ingestion: /hooks/paysys vs Medusa's stock route",
    markdown,
    problems,
    summary: {
      plugin: { ...summary(pluginResult), deliveries, processedOnce: processedOnce.length, processedMore: processedMore.length, outcomes },
      stock: summary(stockResult),
      targets,
    },
  }
}

const LOAD_HEADER = ["route", "requests (distinct + duplicates)", "requests/s (load time)", "p50", "p99", "p99.9", "max", "non-2xx / errors", "server CPU per answer during the load: Medusa + PostgreSQL", "server CPU per request, all its work: Medusa + PostgreSQL"]

function loadRow(r: RouteResult) {
  const perRequest = (value: number | null) => (value === null ? "n/a" : ms(value / r.sent, 1))
  return [
    r.label,
    `${r.sent} (${r.distinct} + ${r.sent - r.distinct})`,
    `${(r.sent / r.fired.seconds).toFixed(0)} (${r.fired.seconds.toFixed(1)} s)`,
    ms(r.fired.latency.p50, 0),
    ms(r.fired.latency.p99, 0),
    ms(r.fired.latency.p99_9, 0),
    ms(r.fired.latency.max, 0),
    `${r.fired.non2xx} / ${r.fired.errors}`,
    `${perRequest(r.fired.loadCpu.medusa)} + ${perRequest(r.fired.loadCpu.postgres)}`,
    `${perRequest(r.cpu.medusa)} + ${perRequest(r.cpu.postgres)}`,
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

function processingRow(r: RouteResult) {
  const seconds = (value: number | null) => (value === null ? "not drained" : `${value.toFixed(1)} s`)
  return [
    r.label,
    seconds(r.drained.orders),
    seconds(r.drained.processed),
    `${r.carts.exactlyOne} / ${r.orders}`,
    `${(r.checks.total / Math.max(1, r.orders)).toFixed(2)} (${r.checks.min}–${r.checks.max})`,
    r.checks.foreign,
  ]
}
