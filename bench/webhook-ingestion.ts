/**
 * Webhook ingestion on the running Medusa server, side by side:
 *   /hooks/paysys                      the plugin's route (records, then processes via a subscriber)
 *   /hooks/payment/pp_paysys_paysys    Medusa's stock webhook route on the same server
 * Each gets its own set of real checkouts, paid at PaySys (card + 3-D Secure) with the
 * sandbox's callbacks dropped, so Medusa knows nothing yet and each notification has real work
 * to do (check_payment, processPaymentWorkflow, the order). The bodies are the sandbox's own
 * status notifications for those payments (the documented shape), sent with PaySys's Basic
 * credentials by autocannon, a share of them twice (duplicates spread through the run, some
 * back to back). Then we wait for the processing to drain and check in SQL and at the sandbox.
 */
import autocannon from "autocannon"
import { performance } from "node:perf_hooks"
import { notificationAuthHeader } from "../src/paysys"
import type { Section } from "./round-trips"
import { log, ms, passThreeDsOk, pool, Stack, startCardCheckout, table, waitFor } from "./stack"

type Options = { payments: number; duplicateShare: number; connections: number; allotSeconds: number }

type Delivery = { partner_trans_id: string; body: unknown; state: string; kind: string }

type Checkout = { cartId: string; sessionId: string; partnerTransId: string }

/**
 * Checkouts paid at PaySys whose callbacks were dropped, two sets made side by side (one per
 * route), until `target` each or until `boxSeconds` have passed; answers each set with the
 * callback bodies PaySys would have sent.
 */
async function paidWithoutNotification(stack: Stack, target: number, boxSeconds: number) {
  await stack.control.post("/callbacks", { mode: "drop", kind: "status" })
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
  await stack.control.post("/callbacks", { mode: "normal" })
  const seconds = (Date.now() - startedAt) / 1000
  stack.checkoutSeconds = seconds / (started * 2)
  const { notifications } = (await stack.control.get("/notifications")).data as { notifications: Delivery[] }
  const bodies = new Map<string, string>()
  for (const delivery of notifications) {
    if (delivery.kind === "status" && delivery.state === "dropped") {
      bodies.set(delivery.partner_trans_id, JSON.stringify(delivery.body))
    }
  }
  for (const checkout of [...sets[0], ...sets[1]]) {
    if (!bodies.has(checkout.partnerTransId)) {
      throw new Error(`no dropped notification for ${checkout.partnerTransId}`)
    }
  }
  return { plugin: { checkouts: sets[0], bodies }, stock: { checkouts: sets[1], bodies }, seconds }
}

/** Every body once, plus duplicates making up `share` of all requests, in a fixed pseudo-random order. */
function sequence(bodies: string[], share: number): string[] {
  let seed = 42
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  const order = [...bodies]
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[order[i], order[j]] = [order[j], order[i]]
  }
  const duplicates = Math.round((bodies.length * share) / (1 - share))
  for (let d = 0; d < duplicates; d++) {
    const original = Math.floor(random() * order.length)
    // half right behind the original (in flight together), half anywhere after it
    const at = d % 2 === 0 ? original + 1 : original + 1 + Math.floor(random() * (order.length - original))
    order.splice(at, 0, order[original])
  }
  return order
}

async function fire(url: string, requests: string[], connections: number, authorization: string) {
  let next = 0
  const startedAt = performance.now()
  const result = await autocannon({
    url,
    connections,
    amount: requests.length,
    timeout: 30,
    method: "POST",
    headers: { "content-type": "application/json", authorization },
    requests: [{ method: "POST", setupRequest: (request) => ({ ...request, body: requests[next++] }) }],
  })
  if (next !== requests.length) {
    throw new Error(`autocannon sent ${next} requests, ${requests.length} expected`)
  }
  return { ...result, seconds: (performance.now() - startedAt) / 1000 }
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

async function checkPaymentCalls(stack: Stack, checkouts: Checkout[]) {
  const { calls } = (await stack.control.get("/calls?method=paysys.check_payment")).data as { calls: { partner_trans_id: string }[] }
  const mine = new Set(checkouts.map((c) => c.partnerTransId))
  const per = new Map<string, number>()
  for (const call of calls) {
    if (mine.has(call.partner_trans_id)) {
      per.set(call.partner_trans_id, (per.get(call.partner_trans_id) ?? 0) + 1)
    }
  }
  const values = checkouts.map((c) => per.get(c.partnerTransId) ?? 0)
  return { total: values.reduce((a, b) => a + b, 0), max: Math.max(...values), min: Math.min(...values), per }
}

export async function measureWebhookIngestion(stack: Stack, options: Options): Promise<Section> {
  const problems: string[] = []
  const authorization = notificationAuthHeader("sandbox-vendor", "sandbox-vendor-secret")

  // the load and the processing take about a minute at 100 per route; the rest is for making payments
  const box = Math.max(20, options.allotSeconds - 60)
  const { plugin, stock, seconds } = await paidWithoutNotification(stack, options.payments, box)
  const payments = plugin.checkouts.length
  if (payments < options.payments) {
    problems.push(`time-boxed: ${payments} payments per route instead of ${options.payments} (the ${box.toFixed(0)} s allotted to making them ran out)`)
  }
  log(`  ${payments * 2} checkouts paid at PaySys, callbacks dropped (${seconds.toFixed(0)} s, ${(seconds / (payments * 2)).toFixed(2)} s each)`)

  let summaryPlugin: Record<string, unknown> = {}
  let summaryStock: Record<string, unknown> = {}
  const rows: (string | number)[][] = []
  const header = ["route", "requests (distinct + duplicates)", "notifications/s (load time)", "p50", "p99", "non-2xx / errors", "processing drained in", "carts with an order", "carts with exactly 1 order, 1 payment, 1 capture", "check_payment per payment (min–max)"]

  // ---- the plugin's route
  {
    const requests = sequence(plugin.checkouts.map((c) => plugin.bodies.get(c.partnerTransId)!), options.duplicateShare)
    await stack.control.post("/calls/reset")
    const startedAt = Date.now()
    const result = await fire(`${stack.medusa.url}/hooks/paysys`, requests, options.connections, authorization)
    const ids = plugin.checkouts.map((c) => c.partnerTransId)
    const drained = await waitFor(
      "every notification processed",
      async () => {
        const { rows: left } = await stack.db.raw(
          `select count(*)::int as count from paysys_notification where partner_trans_id = any(?) and processed_at is null`,
          [ids]
        )
        return left[0].count === 0 ? Date.now() : null
      },
      240_000,
      200
    ).catch(() => null)
    if (!drained) {
      problems.push("/hooks/paysys: notifications still unprocessed after 240 s")
    }
    const { rows: recorded } = await stack.db.raw(
      `select partner_trans_id, deliveries, attempts, processed_at, outcome, last_error from paysys_notification where partner_trans_id = any(?)`,
      [ids]
    )
    const records = recorded as { partner_trans_id: string; deliveries: number; attempts: number; processed_at: Date | null; outcome: string; last_error: string | null }[]
    const distinct = new Set(records.map((r) => r.partner_trans_id)).size
    const deliveries = records.reduce((sum, r) => sum + r.deliveries, 0)
    const checks = await checkPaymentCalls(stack, plugin.checkouts)
    // each settle asks check_payment once, and the order's authorization once more: a payment
    // with more than 2 checks had its notification processed (settled) more than once
    const processedMore = records.filter((r) => (checks.per.get(r.partner_trans_id) ?? 0) > 2)
    const processedOnce = records.filter((r) => r.processed_at && (checks.per.get(r.partner_trans_id) ?? 0) === 2).length
    const attemptsOff = processedMore.filter((r) => r.attempts < (checks.per.get(r.partner_trans_id) ?? 0) - 1).length
    const outcomes: Record<string, number> = {}
    records.forEach((r) => (outcomes[r.outcome ?? "unprocessed"] = (outcomes[r.outcome ?? "unprocessed"] ?? 0) + 1))
    const carts = await perCart(stack, plugin.checkouts)
    rows.push(row("`/hooks/paysys` (plugin)", requests.length, plugin.checkouts.length, result, drained ? (drained - startedAt) / 1000 : null, carts, checks, payments))
    if (records.length !== plugin.checkouts.length || distinct !== plugin.checkouts.length) {
      problems.push(`/hooks/paysys: ${records.length} notification rows for ${plugin.checkouts.length} distinct notifications`)
    }
    if (deliveries !== requests.length) {
      problems.push(`/hooks/paysys: ${deliveries} deliveries counted, ${requests.length} sent`)
    }
    if (processedMore.length) {
      const example = processedMore[0]
      problems.push(
        `/hooks/paysys: ${processedMore.length} of ${records.length} notifications processed more than once (a duplicate delivered before the first processing ended is processed again: ` +
          `${checks.per.get(example.partner_trans_id)} check_payment calls for ${example.partner_trans_id}, recorded outcome ${example.outcome}, attempts ${example.attempts}` +
          `${attemptsOff ? `; the attempts counter missed the extra run on ${attemptsOff}` : ""}). Orders, payments and captures stayed at one each (next column).`
      )
    }
    if (carts.more.length || carts.exactlyOne !== plugin.checkouts.length) {
      problems.push(`/hooks/paysys: ${plugin.checkouts.length - carts.exactlyOne} cart(s) without exactly one order/payment/capture: ${JSON.stringify(carts.more.slice(0, 3))}`)
    }
    summaryPlugin = { requests: requests.length, distinct, deliveries, processedOnce, processedMore: processedMore.length, attemptsOff, outcomes, carts: { withOrder: carts.withOrder, exactlyOne: carts.exactlyOne }, checks }
  }

  // ---- Medusa's stock route, same server, same load
  {
    const requests = sequence(stock.checkouts.map((c) => stock.bodies.get(c.partnerTransId)!), options.duplicateShare)
    await stack.control.post("/calls/reset")
    const startedAt = Date.now()
    const result = await fire(`${stack.medusa.url}/hooks/payment/pp_paysys_paysys`, requests, options.connections, authorization)
    // the stock route records nothing: the orders are the only trace of its processing (it waits 5 s first)
    const drained = await waitFor(
      "an order for every cart",
      async () => ((await perCart(stack, stock.checkouts)).withOrder === stock.checkouts.length ? Date.now() : null),
      240_000,
      250
    ).catch(() => null)
    if (!drained) {
      problems.push("stock route: carts still without an order after 240 s")
    }
    // duplicates are processed as they come: give them time to finish before counting
    await new Promise((resolve) => setTimeout(resolve, 6000))
    const carts = await perCart(stack, stock.checkouts)
    const checks = await checkPaymentCalls(stack, stock.checkouts)
    rows.push(row("`/hooks/payment/pp_paysys_paysys` (Medusa's stock route)", requests.length, stock.checkouts.length, result, drained ? (drained - startedAt) / 1000 : null, carts, checks, payments))
    if (carts.more.length) {
      problems.push(`stock route: ${carts.more.length} cart(s) with more than one order/payment/capture: ${JSON.stringify(carts.more.slice(0, 3))}`)
    }
    summaryStock = { requests: requests.length, carts: { withOrder: carts.withOrder, exactlyOne: carts.exactlyOne }, checks }
  }

  const p = summaryPlugin as any
  const markdown = [
    table(header, rows),
    "",
    `${payments} distinct notifications per route (${payments} checkouts each, paid at PaySys with the callback dropped), ` +
      `plus ${Math.round(options.duplicateShare * 100)}% duplicates; ${options.connections} concurrent connections (autocannon); Basic credentials as PaySys sends them. ` +
      `Latency is the time to the route's answer; "processing drained" is from the first request until every notification was processed (plugin: \`processed_at\` set on every \`paysys_notification\`; stock: every cart has an order — it records nothing else, and waits 5 s before processing).`,
    "",
    `**Exactly once at /hooks/paysys**: ${p.distinct} \`paysys_notification\` rows for ${payments} distinct notifications, ` +
      `${p.deliveries} deliveries counted for ${p.requests} requests sent; processed (settled, counted by check_payment calls at PaySys): ${p.processedOnce} once, ${p.processedMore} more than once; ` +
      `outcomes ${Object.entries(p.outcomes).map(([k, v]) => `${k} ${v}`).join(", ")}.`,
    "",
    "check_payment per payment: the floor is 2 (the notification's confirming check, then Medusa's authorization); each extra one is a duplicate delivery that was checked again.",
  ].join("\n")
  return { title: "Webhook ingestion: /hooks/paysys vs Medusa's stock route", markdown, problems, summary: { plugin: summaryPlugin, stock: summaryStock } }
}

function row(
  route: string,
  sent: number,
  distinct: number,
  result: autocannon.Result & { seconds: number },
  drainedSeconds: number | null,
  carts: { withOrder: number; exactlyOne: number },
  checks: { min: number; max: number; total: number },
  payments: number
) {
  return [
    route,
    `${sent} (${distinct} + ${sent - distinct})`,
    `${(sent / result.seconds).toFixed(0)} (${result.seconds.toFixed(2)} s)`,
    ms(result.latency.p50, 0),
    ms(result.latency.p99, 0),
    `${result.non2xx} / ${result.errors}`,
    drainedSeconds === null ? "not drained" : `${drainedSeconds.toFixed(1)} s (${(payments / drainedSeconds).toFixed(1)} orders/s)`,
    `${carts.withOrder} / ${payments}`,
    `${carts.exactlyOne} / ${payments}`,
    `${(checks.total / payments).toFixed(2)} (${checks.min}–${checks.max})`,
  ]
}
