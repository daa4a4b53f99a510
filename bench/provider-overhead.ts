/**
 * What the provider adds to a PaySys call. Inside the Medusa server (bench/medusa-server.ts,
 * `overhead`), alternating call by call on one card session already paid at PaySys:
 *   A  the provider's authorizePayment through the Payment Module's provider registry, exactly
 *      as paymentModule.authorizePaymentSession calls it: one check_payment plus the plugin's
 *      parsing, signing, typed client and mapping of the answer;
 *   B  a bare signed check_payment POST to the sandbox on loopback (keep-alive, JSON.parse).
 * The session is read once; A writes nothing, so it can be repeated. For context, the whole
 * first authorization (paymentModule.authorizePaymentSession on fresh paid sessions: provider,
 * payment and capture rows) is timed too.
 */
import { percentile, passThreeDsOk, pool, Stack, startCardCheckout, table, ms } from "./stack"
import type { OverheadResult } from "./medusa-server"
import type { Section } from "./round-trips"

export async function measureProviderOverhead(
  stack: Stack,
  counts: { calls: number; firstAuthorizations: number }
): Promise<Section> {
  const problems: string[] = []
  // one paid card checkout, completed into an order by the shopper
  const paid = await startCardCheckout(stack)
  await passThreeDsOk(paid.confirmUrl!)
  const completed = await stack.storefront.complete(paid.cartId)
  if (completed.data?.type !== "order") {
    throw new Error(`the checkout did not complete: ${completed.status}`)
  }
  const warmup = Math.min(50, Math.ceil(counts.calls / 10))
  const result = await stack.medusa.command<OverheadResult>({
    cmd: "overhead",
    sessionId: paid.sessionId,
    calls: counts.calls,
    warmup,
  })
  if (result.status !== "captured") {
    problems.push(`authorizePayment answered ${result.status}, expected captured`)
  }

  // fresh sessions paid at PaySys, no notification, no cart completion: Medusa's first authorization
  await stack.control.post("/callbacks", { mode: "drop", kind: "status" })
  const fresh = await pool(Array.from({ length: counts.firstAuthorizations }), 4, async () => {
    const checkout = await startCardCheckout(stack)
    await passThreeDsOk(checkout.confirmUrl!)
    return checkout.sessionId
  })
  await stack.control.post("/callbacks", { mode: "normal" })
  const first = await stack.medusa.command<{ ms: number[] }>({ cmd: "authorize", sessionIds: fresh })

  const a = result.provider_ms
  const b = result.bare_ms
  const diffs = a.map((value, i) => value - b[i])
  const row = (label: string, values: number[]) => [
    label,
    values.length,
    ms(percentile(values, 50)),
    ms(percentile(values, 90)),
    ms(percentile(values, 99)),
  ]
  const ratio50 = percentile(a, 50) / percentile(b, 50)
  const ratio99 = percentile(a, 99) / percentile(b, 99)
  const markdown = [
    table(
      ["", "calls", "median", "p90", "p99"],
      [
        row("A: authorizePayment through Medusa's provider registry (1 check_payment inside)", a),
        row("B: bare signed check_payment POST, loopback", b),
        row("A − B, call by call (what the plugin adds)", diffs),
        row(
          "for context: paymentModule.authorizePaymentSession, first authorization (provider + payment + capture rows)",
          first.ms
        ),
      ]
    ),
    "",
    `**Ratio A / B: ${ratio50.toFixed(2)}× at the median, ${ratio99.toFixed(2)}× at p99.** ` +
      `${counts.calls} pairs after ${warmup} warm-up pairs, A and B alternating in the Medusa server's process against the sandbox on loopback. ` +
      `Against a real PaySys (tens of milliseconds away) the same absolute overhead (${ms(percentile(diffs, 50))} at the median) is a far smaller ratio.`,
  ].join("\n")
  return {
    title: "Provider overhead: authorizePayment vs a bare check_payment",
    markdown,
    problems,
    summary: {
      a50: percentile(a, 50),
      a99: percentile(a, 99),
      b50: percentile(b, 50),
      b99: percentile(b, 99),
      ratio50,
      ratio99,
    },
  }
}
