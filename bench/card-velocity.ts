/**
 * What the card-testing limits add to the card route (POST /store/paysys/payment-sessions/:id/card).
 * Two Medusa servers on one database: A is the stack's, the limits off; B has them on, every limit
 * so roomy that nothing is refused, their counters in PostgreSQL (the benchmark has no Redis).
 * Posts of an approved card, each on a fresh session (prepared beforehand, untimed), alternate
 * A/B and B/A pair by pair; the answer time is measured at the client, keep-alive.
 */
import axios from "axios"
import http from "node:http"
import { performance } from "node:perf_hooks"
import { card, CARDS } from "../integration-tests/helpers/checkout"
import type { Section } from "./round-trips"
import { ms, percentile, pool, Stack, table } from "./stack"

const ROOMY = { points: 1_000_000, seconds: 600 }

export async function measureCardVelocity(stack: Stack, counts: { pairs: number }): Promise<Section> {
  const problems: string[] = []
  const limits = {
    paymentsPerIp: ROOMY,
    paymentsPerSession: ROOMY,
    paymentsPerCart: ROOMY,
    paymentsPerCard: ROOMY,
    paymentsPerCustomer: ROOMY,
  }
  const limited = await stack.startServer({ PAYSYS_LIMITS: JSON.stringify(limits) })
  const client = axios.create({ httpAgent: new http.Agent({ keepAlive: true }), validateStatus: () => true })
  const warmup = Math.min(10, counts.pairs)
  const sessions = await pool(Array.from({ length: 2 * (counts.pairs + warmup) }), 4, async () => {
    const cart = await stack.storefront.cartReadyForPayment("uzs", [
      { variantId: stack.store.products[1].variantId, quantity: 1 },
    ])
    return (await stack.storefront.startPaysysSession(cart.id)).id as string
  })

  const post = async (baseURL: string, sessionId: string) => {
    const startedAt = performance.now()
    const answer = await client.post(`${baseURL}/store/paysys/payment-sessions/${sessionId}/card`, card(CARDS.visa), {
      headers: { "x-publishable-api-key": stack.store.publishableKey },
    })
    const took = performance.now() - startedAt
    if (answer.status !== 200) {
      problems.push(
        `${baseURL === limited.url ? "B" : "A"}: the card post answered ${answer.status} ${JSON.stringify(answer.data).slice(0, 200)}`
      )
    }
    return took
  }
  const off: number[] = []
  const on: number[] = []
  for (let pair = 0; pair < counts.pairs + warmup; pair++) {
    const [first, second] = [sessions[2 * pair], sessions[2 * pair + 1]]
    const offFirst = pair % 2 === 0
    const a = offFirst ? await post(stack.medusa.url, first) : NaN
    const b = await post(limited.url, second)
    const aAfter = offFirst ? a : await post(stack.medusa.url, first)
    if (pair >= warmup) {
      off.push(aAfter)
      on.push(b)
    }
  }

  const row = (label: string, values: number[]) => [
    label,
    values.length,
    ms(percentile(values, 50)),
    ms(percentile(values, 90)),
    ms(percentile(values, 99)),
  ]
  const ratio50 = percentile(on, 50) / percentile(off, 50)
  const ratio99 = percentile(on, 99) / percentile(off, 99)
  const markdown = [
    table(
      ["", "posts", "median", "p90", "p99"],
      [row("A: card route, limits off", off), row("B: card route, limits on (5 counters in PostgreSQL)", on)]
    ),
    "",
    `**Ratio B / A: ${ratio50.toFixed(2)}× at the median, ${ratio99.toFixed(2)}× at p99.** ` +
      `${counts.pairs} pairs after ${warmup} warm-up pairs, one fresh session per post, the order A/B and B/A alternating. ` +
      `Each post of B also reads the session's cart and customer and counts the post per IP, session, cart, customer and card.`,
  ].join("\n")
  return {
    title: "Card-testing limits: the card route with and without them",
    markdown,
    problems: [...new Set(problems)].slice(0, 5),
    summary: {
      off50: percentile(off, 50),
      off99: percentile(off, 99),
      on50: percentile(on, 50),
      on99: percentile(on, 99),
      ratio50,
      ratio99,
    },
  }
}
