/**
 * PaySys round trips per successful checkout, counted at the sandbox (its call log): every
 * gateway call whose partner_trans_id belongs to the checkout's payment session. Each flow is
 * played through the store API as a storefront does, with the sandbox's callbacks delivered,
 * dropped or held as the flow says, and waits until nothing more happens (order placed,
 * notification processed) before counting.
 */
import { CARDS } from "../integration-tests/helpers/checkout"
import {
  customerWithSavedCard,
  notificationRows,
  orderCount,
  passThreeDsOk,
  sandboxCalls,
  sleep,
  Stack,
  startCardCheckout,
  startSavedCardCheckout,
  table,
  waitFor,
} from "./stack"

export type Section = { title: string; markdown: string; problems: string[]; summary: Record<string, unknown> }

type Flow = {
  name: string
  floor: number
  floorWhy: string
  /** the calls `why` explains: a count that differs is reported, the explanation being stale */
  explained: number
  why: string
  kind: "card" | "saved"
  play: (
    stack: Stack,
    ids: {
      cartId: string
      sessionId: string
      confirmUrl: string | null
      /** the signed-in owner of the saved card, who completes the cart */
      customer?: { headers: Record<string, string> }
    }
  ) => Promise<void>
  callbacks: "drop" | "normal" | "hold"
}

const CARD_FLOOR = "prepare_payment + 1 check_payment"
const SAVED_FLOOR = "pay_by_id + 1 check_payment"

const completeOrder = async (stack: Stack, cartId: string, as?: { headers: Record<string, string> }) => {
  const response = await stack.storefront.complete(cartId, as)
  if (response.data?.type !== "order") {
    throw new Error(
      `cart ${cartId} did not complete: ${response.status} ${JSON.stringify(response.data).slice(0, 300)}`
    )
  }
}

const processed = (stack: Stack, partnerTransId: string) =>
  waitFor(
    `notification of ${partnerTransId} processed`,
    async () => {
      const rows = await notificationRows(stack.db, partnerTransId)
      return rows.length > 0 && rows.every((row) => row.processed_at) ? rows : null
    },
    30_000
  )

const FLOWS: Flow[] = [
  {
    name: "card · shopper returns · callback lost",
    kind: "card",
    callbacks: "drop",
    floor: 2,
    floorWhy: CARD_FLOOR,
    why: "none: prepare_payment (card route), check_payment when the cart completes (Medusa authorizes)",
    explained: 2,
    play: async (stack, { cartId, confirmUrl }) => {
      await passThreeDsOk(confirmUrl!)
      await completeOrder(stack, cartId)
    },
  },
  {
    name: "card · notification only (shopper never returns)",
    kind: "card",
    callbacks: "normal",
    floor: 2,
    floorWhy: CARD_FLOOR,
    why: "+1: the notification is confirmed with check_payment, then processPaymentWorkflow authorizes the session, which asks check_payment again",
    explained: 3,
    play: async (stack, { cartId, sessionId, confirmUrl }) => {
      await passThreeDsOk(confirmUrl!)
      await processed(stack, `${sessionId}-1`)
      await waitFor("the order", async () => (await orderCount(stack.db, cartId)) === 1)
    },
  },
  {
    name: "card · shopper returns, then the notification",
    kind: "card",
    callbacks: "hold",
    floor: 2,
    floorWhy: CARD_FLOOR,
    why: "+1: the notification's confirming check_payment (outcome already_captured)",
    explained: 3,
    play: async (stack, { cartId, sessionId, confirmUrl }) => {
      await passThreeDsOk(confirmUrl!)
      await completeOrder(stack, cartId)
      await stack.control.post("/callbacks/flush", { order: "fifo" })
      await processed(stack, `${sessionId}-1`)
    },
  },
  {
    name: "card · both at once (callback and return race)",
    kind: "card",
    callbacks: "normal",
    floor: 2,
    floorWhy: CARD_FLOOR,
    why: "+1: the notification's confirming check_payment, whichever side wins the race",
    explained: 3,
    play: async (stack, { cartId, sessionId, confirmUrl }) => {
      await passThreeDsOk(confirmUrl!)
      const response = await stack.storefront.complete(cartId)
      if (![200, 409].includes(response.status)) {
        throw new Error(`cart completion answered ${response.status}`)
      }
      await processed(stack, `${sessionId}-1`)
      await waitFor("the order", async () => (await orderCount(stack.db, cartId)) === 1)
    },
  },
  {
    name: "saved card · callback lost",
    kind: "saved",
    callbacks: "drop",
    floor: 2,
    floorWhy: `${SAVED_FLOOR} (pay_by_id answers no status: only check_payment tells paid from declined)`,
    why: "none: pay_by_id and its confirming check_payment, both while the cart completes",
    explained: 2,
    play: async (stack, { cartId, customer }) => {
      await completeOrder(stack, cartId, customer)
    },
  },
  {
    name: "saved card · with the notification",
    kind: "saved",
    callbacks: "normal",
    floor: 2,
    floorWhy: SAVED_FLOOR,
    why: "+1: the notification's confirming check_payment",
    explained: 3,
    play: async (stack, { cartId, sessionId, customer }) => {
      await completeOrder(stack, cartId, customer)
      await processed(stack, `${sessionId}-1`)
    },
  },
]

export async function measureRoundTrips(stack: Stack, repeats: number): Promise<Section> {
  const problems: string[] = []
  const { customer, cardId } = await customerWithSavedCard(stack, `bench-rt-${Date.now()}@example.uz`)
  const registration = (await sandboxCalls(stack.control)).counts["mir.card_registration"] ?? 0

  const rows: (string | number)[][] = []
  const summary: Record<string, unknown> = {}
  for (const flow of FLOWS) {
    const totals: number[] = []
    const perMethod: Record<string, number> = {}
    for (let i = 0; i < repeats; i++) {
      await stack.control.post(
        "/callbacks",
        flow.callbacks === "normal" ? { mode: "normal" } : { mode: flow.callbacks, kind: "status" }
      )
      const ids =
        flow.kind === "card"
          ? await (async () => {
              await stack.control.post("/calls/reset")
              const checkout = await startCardCheckout(stack, CARDS.visa)
              if (checkout.postStatus !== 200) {
                throw new Error(`card post answered ${checkout.postStatus}`)
              }
              return checkout
            })()
          : await (async () => {
              const checkout = await startSavedCardCheckout(stack, customer, cardId)
              await stack.control.post("/calls/reset")
              return { ...checkout, confirmUrl: null, customer }
            })()
      await flow.play(stack, ids)
      await sleep(300) // anything still on its way
      const { calls } = await sandboxCalls(stack.control)
      const mine = calls.filter((call) => call.partner_trans_id?.startsWith(ids.sessionId))
      const stray = calls.length - mine.length
      if (stray) {
        problems.push(`${flow.name}: ${stray} gateway call(s) not about this checkout`)
      }
      totals.push(mine.length)
      for (const call of mine) {
        perMethod[call.method] = (perMethod[call.method] ?? 0) + 1
      }
      await stack.control.post("/callbacks", { mode: "normal" })
      if (flow.callbacks === "hold") {
        await stack.control.post("/callbacks/flush", { order: "fifo" })
      }
    }
    const mean = totals.reduce((a, b) => a + b, 0) / totals.length
    const min = Math.min(...totals)
    const max = Math.max(...totals)
    const methods = Object.entries(perMethod)
      .map(([method, n]) => `${method.replace("paysys.", "")} ${+(n / repeats).toFixed(2)}`)
      .join(", ")
    rows.push([
      flow.name,
      min === max ? String(min) : `${mean.toFixed(2)} (${min}–${max})`,
      methods,
      `${flow.floor}: ${flow.floorWhy}`,
      max - flow.floor > 0 ? `+${max - flow.floor}` : "0",
      flow.why,
    ])
    summary[flow.name] = { mean, min, max, perMethod }
    if (max > flow.floor + 1) {
      problems.push(`${flow.name}: up to ${max} PaySys calls (floor ${flow.floor})`)
    }
    if (min !== flow.explained || max !== flow.explained) {
      problems.push(
        `${flow.name}: ${min === max ? min : `${min}–${max}`} PaySys calls, but the table's "why" explains ${flow.explained} (bench/round-trips.ts): the explanation is stale`
      )
    }
  }
  rows.push([
    "saving a card (once per card, not per checkout)",
    registration,
    "mir.card_registration",
    "1",
    "0",
    "partner.notify carries the token: no call to confirm it",
  ])

  const markdown = [
    table(["flow", "PaySys calls per checkout", "by method (per checkout)", "floor", "above floor", "why"], rows),
    "",
    `${repeats} checkout(s) per flow, one at a time; counted at the sandbox's call log after the order was placed and every notification processed.`,
  ].join("\n")
  return { title: "PaySys round trips per successful checkout", markdown, problems, summary }
}
