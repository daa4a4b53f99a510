import axios, { AxiosInstance, AxiosResponse } from "axios"
import http from "node:http"
import { mapWithConcurrency } from "../../src/workflows/map-with-concurrency"
import { notificationAuthHeader } from "../../src/paysys"
import { PAYSYS_FORM_PROVIDER_ID } from "../../scripts/seed-store"
import { card, CARDS, passThreeDs, sandboxControl, STOREFRONT_URL, Storefront, THREE_DS_CODE } from "./checkout"
import { payOnForm } from "./hosted-form"
import type { Random, StoryRecord, StoryWorld } from "./shopper-stories"
import { sleep, waitFor } from "./wait"

/*
 * The attackers among the shoppers: card testers, strangers holding someone's cart id, and
 * whoever re-posts or forges PaySys's status notifications. Each plays from its own seeded
 * random, so a story replays from the seed whatever runs beside it.
 */

/** The card payment limits the suite runs with (option `limits`); the checks hold the plugin to them. */
export type StoryLimits = { paymentsPerIp: number; paymentsPerSession: number }

/** What PaySys says of a card it refuses at prepare_payment: never to reach the storefront. */
export const PAYSYS_REASON = "Card reported stolen: pick up card (issuer code 43)"
/** PaySys's reasons, the sandbox's decline texts and codes: none may appear in a store answer. */
export const PAYSYS_REASONS = /stolen|pick up|issuer|insufficient|-3\d{4}(?!\w)/i

/** Where a stranger wants the goods: no honest story's address. */
export const STRANGER_ADDRESS = {
  first_name: "Eve",
  last_name: "Stranger",
  address_1: "Stranger street 13",
  city: "Samarkand",
  country_code: "uz",
  postal_code: "140100",
}

/** A store answer the checks look at afterwards. */
export type StoreAnswer = {
  by: "shopper" | "tester" | "stranger" | "forger"
  what: string
  status: number
  data: unknown
  retryAfter?: string
}

/**
 * The address a story's client connects from: its own on 127.0.0.0/8 (all loopback on Linux),
 * so the server sees one client per story, as it would in life. `role` 1 is a stranger.
 */
export function clientAddress(story: number, role: 0 | 1 = 0) {
  return `127.${10 + role}.${Math.floor(story / 250)}.${(story % 250) + 1}`
}

/** The store API reached from `address`; IPv4 by name, so the local address applies. */
export function clientFrom(api: AxiosInstance, address: string): AxiosInstance {
  const baseURL = String(api.defaults.baseURL).replace("localhost", "127.0.0.1")
  return axios.create({ baseURL, httpAgent: new http.Agent({ localAddress: address }) })
}

export const answerOf = (by: StoreAnswer["by"], what: string, response: AxiosResponse): StoreAnswer => ({
  by,
  what,
  status: response.status,
  data: response.data,
  retryAfter: response.headers["retry-after"],
})

const anyStatus = { validateStatus: () => true }

/** A Luhn-valid Visa number of a made-up range: a card tester's list (PaySys approves it unless told otherwise). */
export function testerCard(i: number): string {
  const body = `4${String(900_000_000_000_00 + i).padStart(14, "0")}`
  const sum = [...body].reverse().reduce((total, digit, index) => {
    const value = Number(digit) * (index % 2 === 0 ? 2 : 1)
    return total + (value > 9 ? value - 9 : value)
  }, 0)
  return `${body}${(10 - (sum % 10)) % 10}`
}

/**
 * A card tester: a few carts and sessions from one address, and far more cards than the limits
 * allow, posted four at a time. Most are declined by PaySys at prepare_payment (a fault on that
 * attempt, with PaySys's reason) or are the sandbox's declining cards; a few pass 3-D Secure.
 */
export async function playCardTester(world: StoryWorld, record: StoryRecord, random: Random, client: AxiosInstance) {
  const storefront = new Storefront(client, world.store)
  const sandbox = sandboxControl()
  const sessions: string[] = []
  for (let i = random.int(1, 3); i > 0; i--) {
    const cart = await storefront.cartReadyForPayment("uzs", [
      { variantId: random.pick(world.store.products).variantId, quantity: 1 },
    ])
    const session = await storefront.startPaysysSession(cart.id)
    record.carts.push(cart.id)
    record.sessions.push(session.id)
    sessions.push(session.id)
  }
  const posts = random.int(world.limits.paymentsPerIp + 4, world.limits.paymentsPerIp + 14)
  record.steps.push(
    `card tester from ${record.address}: ${posts} cards on ${sessions.length} session(s) ${sessions.join(", ")}`
  )
  // the attempts PaySys will decline: "<session>-<n>" is a session's n-th attempt
  for (const session of sessions) {
    for (let n = 1; n <= posts; n++) {
      if (random.chance(0.75)) {
        await sandbox.post("/faults", {
          kind: "paysys_error",
          method: "paysys.prepare_payment",
          partnerTransId: `${session}-${n}`,
          count: 1,
          code: -31100,
          message: PAYSYS_REASON,
        })
      }
    }
  }
  const plan = Array.from({ length: posts }, (_, i) => ({
    session: random.pick(sessions),
    number: random.chance(0.15)
      ? CARDS.visa
      : random.pick([CARDS.declined, CARDS.insufficientFunds, CARDS.threeDsFails, testerCard(record.number * 100 + i)]),
    threeDs: random.chance(0.2),
  }))
  const outcomes = await mapWithConcurrency(plan, 4, async (post) => {
    const response = await storefront.postCard(post.session, card(post.number))
    const answer = answerOf("tester", `card on ${post.session}`, response)
    record.answers.push(answer)
    if (response.status === 200 && post.threeDs) {
      await passThreeDs(response.data.confirm_url, { code: THREE_DS_CODE })
    }
    return answer
  })
  const statuses = outcomes.map((o) => (o.status === "fulfilled" ? o.value.status : `error ${o.reason}`))
  record.steps.push(`card tester answers: ${statuses.join(" ")}`)
}

/**
 * A stranger who learned an honest shopper's cart id: anonymous or signed in as another
 * customer, from another address, sends the goods to itself, tries to charge the owner's saved
 * card on a session of its own, and completes the cart.
 */
export async function playStranger(
  world: StoryWorld,
  record: StoryRecord,
  random: Random,
  ids: { cartId: string; ownerSavedCardId?: string }
) {
  const client = clientFrom(world.api, clientAddress(record.number, 1))
  const others = world.savers.filter((s) => s.savedCardId !== ids.ownerSavedCardId)
  const signedIn = others.length && random.chance(0.5) ? random.pick(others) : null
  const headers = { headers: signedIn ? signedIn.headers : { "x-publishable-api-key": world.store.publishableKey } }
  const step = (text: string) => record.steps.push(`stranger (${signedIn ? "another customer" : "anonymous"}): ${text}`)
  const plan = {
    wait: random.int(0, 400),
    address: random.chance(0.85),
    takeOver: !!signedIn && random.chance(0.5),
    savedCard: random.chance(0.7),
    complete: random.chance(0.85),
  }
  await sleep(plan.wait)
  if (plan.address) {
    const moved = await client.post(
      `/store/carts/${ids.cartId}`,
      { shipping_address: STRANGER_ADDRESS },
      { ...headers, ...anyStatus }
    )
    step(`ship to ${STRANGER_ADDRESS.address_1}: ${moved.status} ${moved.data.message ?? ""}`)
  }
  if (plan.takeOver) {
    const taken = await client.post(`/store/carts/${ids.cartId}/customer`, {}, { ...headers, ...anyStatus })
    step(`take the cart over: ${taken.status} ${taken.data.message ?? ""}`)
  }
  if (plan.savedCard && ids.ownerSavedCardId) {
    const { data } = await client.get(`/store/carts/${ids.cartId}?fields=payment_collection.id`, {
      ...headers,
      ...anyStatus,
    })
    const collectionId = data.cart?.payment_collection?.id
    if (collectionId) {
      const created = await client.post(
        `/store/payment-collections/${collectionId}/payment-sessions`,
        { provider_id: "pp_paysys_paysys", data: { saved_card_id: ids.ownerSavedCardId } },
        { ...headers, ...anyStatus }
      )
      const session = created.data.payment_collection?.payment_sessions?.find(
        (s: { provider_id: string }) => s.provider_id === "pp_paysys_paysys"
      )
      if (created.status === 200 && session) {
        record.sessions.push(session.id)
        record.strangerSessions.push(session.id)
      }
      step(`session with the owner's saved card: ${created.status} ${session?.id ?? created.data.message ?? ""}`)
    }
  }
  if (plan.complete) {
    const completed = await client.post(`/store/carts/${ids.cartId}/complete`, {}, { ...headers, ...anyStatus })
    record.answers.push(answerOf("stranger", "complete", completed))
    step(
      `complete: ${completed.status} ${completed.data.type ?? ""} ${completed.data.message ?? completed.data.error?.message ?? ""}`
    )
  }
}

type Delivery = { seq: number; kind: string; partner_trans_id: string | null; body: Record<string, any> }

/** The credentials the sandbox signs its notifications with, and a guess at them. */
const GENUINE = notificationAuthHeader("sandbox-vendor", "sandbox-vendor-secret")
const GUESSED = notificationAuthHeader("sandbox-vendor", "guessed-secret")
const STATUSES = [0, 1, 2, 3, 5, 6, -1, -2]

/**
 * Genuine status notifications of this story's payments, read from the sandbox's delivery log
 * and posted again later, out of order: as they were (a replay), with the status and amount
 * changed and the genuine credentials (someone who holds them), or with guessed credentials.
 */
export async function replayNotifications(
  world: StoryWorld,
  record: StoryRecord,
  random: Random,
  client: AxiosInstance
) {
  const { data } = await sandboxControl().get("/notifications")
  const mine = (data.notifications as Delivery[]).filter(
    (d) =>
      d.kind === "status" && d.partner_trans_id && record.sessions.includes(d.partner_trans_id.replace(/-\d+$/, ""))
  )
  if (!mine.length) {
    record.steps.push("replay: no notification of this story in the delivery log")
    return
  }
  const chosen = Array.from({ length: random.int(1, 4) }, () => random.pick(mine)).reverse()
  await sleep(random.int(0, 1500))
  for (const delivery of chosen) {
    const how = random.pick([
      "replay",
      "replay",
      "changed, genuine credentials",
      "forged, guessed credentials",
    ] as const)
    const forged = how.startsWith("forged")
    const body =
      how === "replay"
        ? delivery.body
        : {
            ...delivery.body,
            status: random.pick(STATUSES),
            amount: forged ? Number(delivery.body.amount) * 10 : delivery.body.amount,
          }
    const response = await client.post("/hooks/paysys", body, {
      headers: { authorization: forged ? GUESSED : GENUINE },
      ...anyStatus,
    })
    record.answers.push(answerOf(forged ? "forger" : "shopper", `notification ${how}`, response))
    record.steps.push(
      `notification #${delivery.seq} of ${delivery.partner_trans_id} (status ${delivery.body.status}) ${how} as status ${body.status}: ${response.status}`
    )
  }
}

/** The attempt of a form story's payment: its session's first. */
export const formPartnerTransId = (record: StoryRecord) => `${record.sessions[0]}-1`

/**
 * A shopper paying on PaySys's hosted form, and an attacker who caught the genuine Notify
 * (STATUS 2) and plays it back as a Cancel: its digits re-split, STATUS moved into SIGN_TIME, so
 * that the signature string is the same. The Cancel must book nothing (checkAttackers).
 */
export async function playFormShopper(world: StoryWorld, record: StoryRecord, random: Random, client: AxiosInstance) {
  const storefront = new Storefront(client, world.store)
  const product = random.pick(world.store.products)
  const cart = await storefront.cartReadyForPayment("uzs", [
    { variantId: product.variantId, quantity: random.int(1, 2) },
  ])
  record.carts.push(cart.id)
  const { data } = await client.post("/store/payment-collections", { cart_id: cart.id }, storefront.headers)
  const created = await client.post(
    `/store/payment-collections/${data.payment_collection.id}/payment-sessions`,
    { provider_id: PAYSYS_FORM_PROVIDER_ID, data: { return_url: `${STOREFRONT_URL}/checkout/paysys-return` } },
    storefront.headers
  )
  const session = created.data.payment_collection.payment_sessions.find(
    (s: { provider_id: string }) => s.provider_id === PAYSYS_FORM_PROVIDER_ID
  )
  record.sessions.push(session.id)
  record.steps.push(`hosted form: cart ${cart.id} (${product.handle}), session ${session.id}`)
  await payOnForm(session.data.form_url, session.data.form_fields)
  const notify = await waitFor("the genuine Notify in the sandbox's delivery log", async () => {
    const { data: log } = await sandboxControl().get("/notifications")
    const found = (log.notifications as Delivery[]).find(
      (d) => d.kind === "form_notify" && d.partner_trans_id === formPartnerTransId(record) && d.body.STATUS === 2
    )
    return found?.body
  })
  record.steps.push(`paid on the form; Notify ${JSON.stringify(notify)}`)
  await sleep(random.int(0, 1000))
  const forgedCancel = {
    AGR_TRANS_ID: notify.AGR_TRANS_ID,
    VENDOR_TRANS_ID: notify.VENDOR_TRANS_ID,
    SIGN_TIME: `2${notify.SIGN_TIME}`,
    SIGN_STRING: notify.SIGN_STRING,
  }
  const response = await client.post("/hooks/paysys-form/cancel", forgedCancel, anyStatus)
  record.answers.push(answerOf("forger", "Notify replayed as a Cancel", response))
  record.steps.push(
    `Notify replayed as a Cancel (SIGN_TIME ${forgedCancel.SIGN_TIME}): ${response.status} ${JSON.stringify(response.data)}`
  )
}
