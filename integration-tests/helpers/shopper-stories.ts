import { AxiosError, AxiosInstance } from "axios"
import { SeededStore } from "../../scripts/seed-store"
import {
  answerOf,
  clientAddress,
  clientFrom,
  playCardTester,
  playFormShopper,
  playStranger,
  replayNotifications,
  StoreAnswer,
  StoryLimits,
} from "./attackers"
import { card, CARDS, passThreeDs, sandboxControl, Storefront, THREE_DS_CODE } from "./checkout"
import { sleep } from "./wait"

/** mulberry32: a small seeded PRNG, so a story replays from its seed. */
export function seededRandom(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)],
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
  }
}
export type Random = ReturnType<typeof seededRandom>

/** A signed-in customer with an active saved card (registered through the store API once). */
export type Saver = { headers: Record<string, string>; savedCardId: string; number: string }

export type StoryWorld = {
  api: AxiosInstance
  store: SeededStore
  storefront: Storefront
  admin: { headers: Record<string, string> }
  savers: Saver[]
  /** read-only: finds the captured payment of a cart for an admin refund */
  dbConnection: any
  limits: StoryLimits
}

/** What one story did, for the report: its steps and the ids it made. */
export type StoryRecord = {
  number: number
  kind: "shopper" | "card tester" | "form shopper"
  /** the client address the story's store calls come from */
  address: string
  steps: string[]
  carts: string[]
  sessions: string[]
  /** sessions a stranger made on the story's cart (also in `sessions`) */
  strangerSessions: string[]
  answers: StoreAnswer[]
  error?: string
}

const WRITE_METHODS = ["prepare_payment", "pay_by_id", "cancel_payment", "refund_payment"] as const
const FAULT_KINDS = ["http_5xx", "timeout", "reset", "rate_limited"] as const
const CARD_OUTCOMES = [
  ["approved", CARDS.visa],
  ["approved", CARDS.mastercard],
  ["approved", CARDS.mir],
  ["declined", CARDS.declined],
  ["insufficient funds", CARDS.insufficientFunds],
] as const
const THREE_DS_OUTCOMES = ["pass", "pass", "pass", "pass", "wrong code", "cancel", "abandon", "pass late"] as const

const anyStatus = { validateStatus: () => true }

/**
 * One story, from its own client address: mostly a shopper's, played through the store API, the
 * sandbox's 3-D Secure page and the admin refund route, with the sandbox made to misbehave along
 * the way, a stranger who knows the cart id and replayed notifications; else a card tester or a
 * shopper on the hosted form (attackers.ts). Every choice comes from `random`; the timing between
 * concurrent stories does not.
 */
export async function playStory(world: StoryWorld, number: number, random: Random): Promise<StoryRecord> {
  const kind = random.chance(0.04) ? "card tester" : random.chance(0.04) ? "form shopper" : "shopper"
  const address = clientAddress(number)
  const record: StoryRecord = {
    number,
    kind,
    address,
    steps: [],
    carts: [],
    sessions: [],
    strangerSessions: [],
    answers: [],
  }
  const client = clientFrom(world.api, address)
  const plays = {
    "card tester": playCardTester,
    "form shopper": playFormShopper,
    shopper: () => new Shopper(world, random, record, client).play(),
  }
  try {
    const play = plays[kind]
    await play(world, record, random, client)
  } catch (error) {
    const failed = error as AxiosError
    record.error = failed.response
      ? `${failed.config?.method?.toUpperCase()} ${failed.config?.url} answered ${failed.response.status} ${JSON.stringify(failed.response.data)}`
      : (failed.stack ?? String(error))
  }
  return record
}

class Shopper {
  private readonly sandbox = sandboxControl()
  private readonly storefront: Storefront
  private cartId = ""
  private collectionId = ""
  private sessionId = ""
  private saver: Saver | null = null

  constructor(
    private readonly world: StoryWorld,
    private readonly random: Random,
    private readonly record: StoryRecord,
    private readonly api: AxiosInstance
  ) {
    this.storefront = new Storefront(api, world.store)
  }

  private get headers() {
    return this.saver ? { headers: this.saver.headers } : this.storefront.headers
  }

  private step(text: string) {
    this.record.steps.push(text)
  }

  async play() {
    const { random } = this
    await this.maybeMisbehave()
    const product = random.pick(this.world.store.products)
    const cart = await this.storefront.cartReadyForPayment("uzs", [
      { variantId: product.variantId, quantity: random.int(1, 2) },
    ])
    this.cartId = cart.id
    this.record.carts.push(cart.id)
    this.step(`cart ${cart.id} (${product.handle})`)

    if (this.world.savers.length && random.chance(0.2)) {
      await this.payWithSavedCard(random.pick(this.world.savers))
    } else {
      await this.payWithCard()
    }
    // a stranger who knows the cart id, racing the shopper's completion (its own random: it runs beside the story)
    const stranger = random.chance(this.saver ? 0.4 : 0.1)
      ? playStranger(this.world, this.record, seededRandom(random.int(1, 2 ** 31 - 1)), {
          cartId: this.cartId,
          ownerSavedCardId: this.saver?.savedCardId,
        })
      : null
    await this.maybeMisbehave()
    await this.complete(random.chance(0.2) ? 2 : 1)
    await stranger
    if (random.chance(0.25)) {
      // the "free goods" attack: a new session on a paid (maybe completed) cart's collection
      await this.newSession(this.saver ? { saved_card_id: this.saver.savedCardId } : undefined)
      if (random.chance(0.5)) {
        await this.complete(1)
      }
    }
    if (random.chance(0.3)) {
      await this.maybeMisbehave(0.5)
      await this.refund()
    }
    if (random.chance(0.2)) {
      await replayNotifications(this.world, this.record, random, this.api)
    }
  }

  private async payWithCard() {
    const { random } = this
    await this.newSession()
    const tries = 1 + (random.chance(0.4) ? 1 : 0) + (random.chance(0.15) ? 1 : 0)
    for (let i = 0; i < tries; i++) {
      if (i > 0 && random.chance(0.3)) {
        await this.newSession()
      }
      const [outcome, number] = random.pick(CARD_OUTCOMES)
      const pages = random.chance(0.15)
        ? await this.doubleClick(outcome, number)
        : [await this.postCard(outcome, number)]
      if (random.chance(0.15)) {
        await this.addItem() // the cart changes while the shopper is on the 3-D Secure page
      }
      if (random.chance(0.1)) {
        await this.newSession() // a new session while the shopper is on the 3-D Secure page
      }
      await this.maybeMisbehave()
      for (const page of pages.filter((p): p is string => !!p)) {
        await this.threeDs(page, random.pick(THREE_DS_OUTCOMES))
      }
    }
  }

  private async payWithSavedCard(saver: Saver) {
    this.saver = saver
    await this.api.post(`/store/carts/${this.cartId}/customer`, {}, { headers: saver.headers })
    this.step(`saved card ${saver.savedCardId} (${saver.number === CARDS.declined ? "declining" : "approved"})`)
    await this.newSession({ saved_card_id: saver.savedCardId })
  }

  private async newSession(data?: Record<string, unknown>) {
    const { api } = this
    if (!this.collectionId) {
      const created = await api.post("/store/payment-collections", { cart_id: this.cartId }, this.headers)
      this.collectionId = created.data.payment_collection.id
    }
    const response = await api.post(
      `/store/payment-collections/${this.collectionId}/payment-sessions`,
      { provider_id: "pp_paysys_paysys", ...(data ? { data } : {}) },
      { ...this.headers, ...anyStatus }
    )
    const session = response.data.payment_collection?.payment_sessions?.find(
      (s: { provider_id: string }) => s.provider_id === "pp_paysys_paysys"
    )
    if (session) {
      this.sessionId = session.id
      this.record.sessions.push(session.id)
    }
    this.step(`new session: ${response.status}${session ? ` ${session.id}` : ` ${response.data.message ?? ""}`}`)
  }

  private async postCard(outcome: string, number: string): Promise<string | null> {
    const response = await this.storefront.postCard(this.sessionId, card(number))
    this.record.answers.push(answerOf("shopper", `card on ${this.sessionId}`, response))
    this.step(
      `card ${outcome} on ${this.sessionId}: ${response.status}${response.status === 200 ? "" : ` ${response.data.message ?? ""}`}`
    )
    return response.status === 200 ? response.data.confirm_url : null
  }

  private async doubleClick(outcome: string, number: string) {
    this.step("double click")
    return Promise.all([this.postCard(outcome, number), this.postCard(outcome, number)])
  }

  private async threeDs(confirmUrl: string, outcome: (typeof THREE_DS_OUTCOMES)[number]) {
    if (outcome === "abandon") {
      this.step("3-D Secure abandoned")
      return
    }
    if (outcome === "pass late") {
      await sleep(2500) // past abandonAfterSeconds
    }
    const result = await passThreeDs(
      confirmUrl,
      outcome === "cancel" ? "cancel" : { code: outcome === "wrong code" ? "000000" : THREE_DS_CODE }
    )
    this.step(`3-D Secure ${outcome}: ${result.status}`)
  }

  private async addItem() {
    const product = this.random.pick(this.world.store.products)
    const response = await this.api.post(
      `/store/carts/${this.cartId}/line-items`,
      { variant_id: product.variantId, quantity: 1 },
      { ...this.headers, ...anyStatus }
    )
    this.step(`add ${product.handle} to the cart: ${response.status}`)
  }

  private async complete(times: number) {
    const responses = await Promise.all(
      Array.from({ length: times }, () =>
        this.api.post(`/store/carts/${this.cartId}/complete`, {}, { ...this.headers, ...anyStatus })
      )
    )
    this.record.answers.push(...responses.map((r) => answerOf("shopper", "complete", r)))
    this.step(
      `complete x${times}: ${responses.map((r) => `${r.status} ${r.data.type ?? r.data.message ?? ""}`).join(" | ")}`
    )
  }

  /** An admin refund of part or all of the captured payment, retried once if it failed. */
  private async refund() {
    const { rows } = await this.world.dbConnection.raw(
      `select p.id, p.amount::text as amount from payment p
         join cart_payment_collection cpc on cpc.payment_collection_id = p.payment_collection_id and cpc.deleted_at is null
        where cpc.cart_id = ? and p.deleted_at is null and p.captured_at is not null`,
      [this.cartId]
    )
    if (!rows.length) {
      this.step("refund: no captured payment")
      return
    }
    const full = Number(rows[0].amount)
    const amount = this.random.chance(0.4) ? full : this.random.int(1000, Math.max(1000, Math.floor(full / 2)))
    for (let attempt = 1; attempt <= 2; attempt++) {
      const response = await this.world.api.post(
        `/admin/payments/${rows[0].id}/refund`,
        { amount },
        { ...this.world.admin, ...anyStatus }
      )
      this.step(`admin refund ${amount} of ${full} (try ${attempt}): ${response.status} ${response.data.message ?? ""}`)
      if (response.status === 200 || !this.random.chance(0.7)) {
        return
      }
    }
  }

  /** Sometimes: a fault on PaySys's next call of a method, or a callback behaviour (global). */
  private async maybeMisbehave(probability = 0.25) {
    const { random, sandbox } = this
    if (!random.chance(probability)) {
      return
    }
    if (random.chance(0.55)) {
      const method = random.chance(0.2) ? "check_payment" : random.pick(WRITE_METHODS)
      const kind = random.pick(FAULT_KINDS)
      const fault =
        kind === "rate_limited"
          ? {
              kind,
              method: `paysys.${method}`,
              count: random.int(1, 2),
              retryAfterSeconds: random.int(1, 2),
              // sometimes only this story's payment: the others' calls cannot use it up
              ...(this.sessionId && random.chance(0.4) ? { partnerTransId: `${this.sessionId}-1` } : {}),
            }
          : { kind, method: `paysys.${method}`, count: 1, applyFirst: method !== "check_payment" && random.chance(0.6) }
      await sandbox.post("/faults", fault)
      const scope = "partnerTransId" in fault ? ` of ${fault.partnerTransId}` : ""
      const wait = "retryAfterSeconds" in fault ? ` (Retry-After ${fault.retryAfterSeconds} s)` : ""
      this.step(
        `fault: ${fault.kind}${wait} on ${method}${scope}${"applyFirst" in fault && fault.applyFirst ? " after the work was done" : ""}`
      )
      return
    }
    const behaviour = random.pick([
      { mode: "drop", count: random.int(1, 2) },
      { mode: "duplicate", count: 1, copies: random.int(2, 3) },
      { mode: "hold", count: random.int(1, 3) },
      { mode: "flush" },
    ])
    if (behaviour.mode === "flush") {
      await sandbox.post("/callbacks/flush", { order: "reverse" })
    } else {
      await sandbox.post("/callbacks", { ...behaviour, kind: "status" })
    }
    this.step(`callbacks: ${JSON.stringify(behaviour)}`)
  }
}
