import { MedusaContainer } from "@medusajs/framework/types"
import BigNumber from "bignumber.js"
import reconcilePaysysPayments from "../../src/jobs/reconcile-paysys-payments"
import { PaysysCurrency, toMinorUnits } from "../../src/paysys"
import { PAYSYS_FORM_PROVIDER_ID } from "../../scripts/seed-store"
import { sandboxControl } from "./checkout"
import { StoryRecord } from "./shopper-stories"
import { sleep } from "./wait"

/*
 * The money invariant, checked from PaySys's side (the sandbox's control API) and
 * Medusa's (read-only SQL on its tables and on the plugin's ledger).
 */

type SandboxTransaction = {
  partner_trans_id: string
  kind: string
  status: number
  amount: string
  currency: PaysysCurrency
  refunded_total: string
  refunds: { amount: string }[]
}
type SandboxCall = { seq: number; method: string; partner_trans_id: string | null; outcome: string }

/** What the sandbox held before the stories: the check looks at what came after only. */
export type SandboxBaseline = { transactions: Set<string>; lastCallSeq: number }

export async function sandboxBaseline(): Promise<SandboxBaseline> {
  const sandbox = sandboxControl()
  const [{ data: transactions }, { data: calls }] = await Promise.all([
    sandbox.get("/transactions"),
    sandbox.get("/calls"),
  ])
  return {
    transactions: new Set(transactions.transactions.map((t: SandboxTransaction) => t.partner_trans_id)),
    lastCallSeq: Math.max(0, ...calls.calls.map((c: SandboxCall) => c.seq)),
  }
}

export type Violation = { stories: number[]; text: string }

/** Maps a partner_trans_id ("<session id>-<n>") or a cart to the story that made it. */
export class StoryIndex {
  private readonly bySession = new Map<string, number>()
  private readonly byCart = new Map<string, number>()

  constructor(readonly stories: StoryRecord[]) {
    for (const story of stories) {
      story.sessions.forEach((id) => this.bySession.set(id, story.number))
      story.carts.forEach((id) => this.byCart.set(id, story.number))
    }
  }

  of(ids: { partnerTransId?: string | null; cartId?: string | null }): number[] {
    const found = [
      ids.partnerTransId ? this.bySession.get(ids.partnerTransId.replace(/-\d+$/, "")) : undefined,
      ids.cartId ? this.byCart.get(ids.cartId) : undefined,
    ]
    return [...new Set(found.filter((n): n is number => n !== undefined))]
  }

  hasCart(cartId: string) {
    return this.byCart.has(cartId)
  }
}

type LedgerAttempt = {
  id: string
  partner_trans_id: string
  cart_id: string | null
  state: string
  paysys_status: string | null
  outcome: string | null
  next_check_at: Date | null
  checks: number
  last_error: string | null
  /** a hosted form payment: PaySys's form holds it, not the card gateway */
  by_form: boolean
  history: { at: string; event: string; status?: number | null; detail?: string | null }[] | null
}
type LedgerRefund = { id: string; partner_trans_id: string; key: string; kind: string; state: string; amount: string }

const ledgerAttempts = async (db: any) =>
  (
    await db.raw(
      `select id, partner_trans_id, cart_id, state, paysys_status::text as paysys_status, outcome, next_check_at, checks, last_error, history, kind = 'form' as by_form
         from paysys_attempt order by created_at`
    )
  ).rows as LedgerAttempt[]

const describeAttempt = (a: LedgerAttempt) =>
  `ledger ${a.partner_trans_id}: state ${a.state}, PaySys status ${a.paysys_status}, outcome ${a.outcome}, checks ${a.checks}, next check ${a.next_check_at?.toISOString?.() ?? a.next_check_at}${a.last_error ? `, last error ${a.last_error}` : ""}` +
  // its history, for the replay's reader: what the plugin did, in order
  (a.history ?? [])
    .map(
      (h) =>
        `\n        ${h.at.slice(11, 23)} ${h.event}${h.status != null ? ` [${h.status}]` : ""}${h.detail ? `: ${h.detail}` : ""}`
    )
    .join("")

/**
 * Runs the reconciliation job until the ledger has nothing left to do: every attempt final,
 * or still open at PaySys (a 3-D Secure page the shopper never finished: no money taken);
 * no refund in doubt; no notification waiting. Whatever is left at the deadline, and every
 * attempt parked for the merchant, is a violation.
 */
export async function settleLedger(container: MedusaContainer, db: any, index: StoryIndex, timeoutMs: number) {
  const sandbox = sandboxControl()
  const deadline = Date.now() + timeoutMs
  let runs = 0
  for (;;) {
    await reconcilePaysysPayments(container)
    runs++
    const { data } = await sandbox.get("/transactions")
    const statusAtPaysys = new Map<string, number>(
      data.transactions.map((t: SandboxTransaction) => [t.partner_trans_id, t.status])
    )
    const unsettled: Violation[] = []
    for (const attempt of await ledgerAttempts(db)) {
      const stories = index.of({ partnerTransId: attempt.partner_trans_id, cartId: attempt.cart_id })
      if (attempt.state === "attention") {
        unsettled.push({ stories, text: `parked for the merchant: ${describeAttempt(attempt)}` })
      } else if (
        attempt.next_check_at &&
        !(attempt.state === "open" && [0, 1].includes(statusAtPaysys.get(attempt.partner_trans_id) ?? NaN))
      ) {
        unsettled.push({
          stories,
          text: `not settled (PaySys status ${statusAtPaysys.get(attempt.partner_trans_id)}): ${describeAttempt(attempt)}`,
        })
      }
    }
    const refunds = (
      await db.raw(
        `select id, partner_trans_id, key, kind, state, amount::text as amount from paysys_refund where state in ('sending', 'unknown')`
      )
    ).rows as LedgerRefund[]
    for (const refund of refunds) {
      unsettled.push({
        stories: index.of({ partnerTransId: refund.partner_trans_id }),
        text: `${refund.kind} ${refund.key} of ${refund.amount} still ${refund.state} on ${refund.partner_trans_id}`,
      })
    }
    const waiting = (
      await db.raw(
        `select count(*)::int as count from paysys_notification where processed_at is null and parked_at is null`
      )
    ).rows[0].count as number
    if (waiting) {
      unsettled.push({ stories: [], text: `${waiting} notification(s) neither processed nor parked` })
    }
    const parked = unsettled.filter((v) => v.text.startsWith("parked"))
    if (unsettled.length === parked.length || Date.now() > deadline) {
      return { runs, violations: unsettled }
    }
    await sleep(1000)
  }
}

type MedusaPayment = {
  id: string
  partner_trans_id: string | null
  currency_code: string
  cart_id: string | null
  order_ids: string[] | null
  captured: string
  captures: number
  refunded: string
}

/** The invariant, from both sides, over every transaction and payment the stories made. */
export async function checkMoneyInvariant(db: any, baseline: SandboxBaseline, index: StoryIndex): Promise<Violation[]> {
  const sandbox = sandboxControl()
  const violations: Violation[] = []
  const ledger = new Map((await ledgerAttempts(db)).map((a) => [a.partner_trans_id, a]))
  const violation = (ids: { partnerTransId?: string | null; cartId?: string | null }, text: string) => {
    const attempt = ids.partnerTransId ? ledger.get(ids.partnerTransId) : undefined
    violations.push({ stories: index.of(ids), text: attempt ? `${text}; ${describeAttempt(attempt)}` : text })
  }

  const transactions = ((await sandbox.get("/transactions")).data.transactions as SandboxTransaction[]).filter(
    (t) => !baseline.transactions.has(t.partner_trans_id)
  )
  const byPartnerTransId = new Map(transactions.map((t) => [t.partner_trans_id, t]))
  const payments = (
    (
      await db.raw(
        `select p.id, p.data->>'partner_trans_id' as partner_trans_id, p.currency_code, cpc.cart_id,
                (select array_agg(oc.order_id) from order_cart oc where oc.cart_id = cpc.cart_id and oc.deleted_at is null) as order_ids,
                (select coalesce(sum(c.amount), 0)::text from capture c where c.payment_id = p.id and c.deleted_at is null) as captured,
                (select count(*)::int from capture c where c.payment_id = p.id and c.deleted_at is null) as captures,
                (select coalesce(sum(r.amount), 0)::text from refund r where r.payment_id = p.id and r.deleted_at is null) as refunded
           from payment p
           left join cart_payment_collection cpc on cpc.payment_collection_id = p.payment_collection_id and cpc.deleted_at is null
          where p.provider_id = 'pp_paysys_paysys' and p.deleted_at is null`
      )
    ).rows as MedusaPayment[]
  ).filter(
    (p) => (p.partner_trans_id && byPartnerTransId.has(p.partner_trans_id)) || (p.cart_id && index.hasCart(p.cart_id))
  )
  const captured = payments.filter((p) => p.captures > 0)
  const minor = (p: MedusaPayment, amount: string) => toMinorUnits(amount, p.currency_code as PaysysCurrency)
  const givenBack = (t: SandboxTransaction) => (t.status === 3 ? t.amount : t.refunded_total)

  // PaySys's side: every transaction that took money is one order's captured payment, or given back
  for (const t of transactions.filter((t) => [2, 3, 6].includes(t.status))) {
    const ids = { partnerTransId: t.partner_trans_id }
    const mine = captured.filter((p) => p.partner_trans_id === t.partner_trans_id)
    if (mine.length > 1) {
      violation(
        ids,
        `${t.partner_trans_id} (status ${t.status}) is the captured payment of ${mine.length} Medusa payments: ${mine.map((p) => p.id).join(", ")}`
      )
    }
    if (!mine.length) {
      if (!new BigNumber(givenBack(t)).eq(t.amount)) {
        violation(
          ids,
          `${t.partner_trans_id} took ${t.amount} (status ${t.status}, ${t.refunded_total} refunded) but is no Medusa payment's capture and was not reversed`
        )
      }
      continue
    }
    for (const p of mine) {
      // no order may hold it only if it was given back whole, at PaySys and in Medusa
      const givenBackWhole = new BigNumber(givenBack(t)).eq(t.amount) && new BigNumber(p.refunded).eq(p.captured)
      const orders = p.order_ids?.length ?? 0
      if (orders !== 1 && !(orders === 0 && givenBackWhole)) {
        violation(
          { ...ids, cartId: p.cart_id },
          `${t.partner_trans_id} is captured payment ${p.id} of cart ${p.cart_id}, which has ${orders} orders`
        )
      }
      if (minor(p, p.captured) !== t.amount) {
        violation(
          ids,
          `${t.partner_trans_id}: PaySys took ${t.amount}, Medusa captured ${p.captured} (${minor(p, p.captured)} minor) on ${p.id}`
        )
      }
      if (minor(p, p.refunded) !== new BigNumber(givenBack(t)).toFixed(0)) {
        violation(
          ids,
          `${t.partner_trans_id}: PaySys gave back ${givenBack(t)} (status ${t.status}, refunds ${JSON.stringify(t.refunds.map((r) => r.amount))}), Medusa refunded ${p.refunded} (${minor(p, p.refunded)} minor) on ${p.id}`
        )
      }
    }
  }

  // Medusa's side: every captured payment is backed by PaySys, refunds within the capture
  for (const p of captured) {
    const ids = { partnerTransId: p.partner_trans_id, cartId: p.cart_id }
    const t = p.partner_trans_id ? byPartnerTransId.get(p.partner_trans_id) : undefined
    if (!t || ![2, 3, 6].includes(t.status)) {
      violation(
        ids,
        `Medusa payment ${p.id} captured ${p.captured} on ${p.partner_trans_id}, which PaySys shows ${t ? `with status ${t.status}` : "nowhere"}`
      )
    }
    if (new BigNumber(p.refunded).gt(p.captured)) {
      violation(ids, `Medusa payment ${p.id}: refunds ${p.refunded} exceed the capture ${p.captured}`)
    }
  }
  // every order of a story is paid by exactly one captured payment (a hosted form's: checkAttackers)
  const ordered = (
    await db.raw(
      `select oc.cart_id, oc.order_id,
              exists(select 1 from cart_payment_collection cpc
                       join payment p on p.payment_collection_id = cpc.payment_collection_id and p.deleted_at is null
                      where cpc.cart_id = oc.cart_id and cpc.deleted_at is null and p.provider_id = ?) as by_form
         from order_cart oc where oc.deleted_at is null`,
      [PAYSYS_FORM_PROVIDER_ID]
    )
  ).rows as { cart_id: string; order_id: string; by_form: boolean }[]
  for (const { cart_id, order_id } of ordered.filter((o) => index.hasCart(o.cart_id) && !o.by_form)) {
    const paid = captured.filter((p) => p.cart_id === cart_id)
    if (paid.length !== 1) {
      // each payment's attempt with its history: what made it a payment of this order
      const attempts = paid.map((p) => ledger.get(p.partner_trans_id ?? "")).filter((a): a is LedgerAttempt => !!a)
      violation(
        { cartId: cart_id },
        `order ${order_id} (cart ${cart_id}) has ${paid.length} captured PaySys payments${paid.length ? `: ${paid.map((p) => `${p.id} on ${p.partner_trans_id}`).join(", ")}` : ""}` +
          attempts.map((a) => `\n    ${describeAttempt(a)}`).join("")
      )
    }
  }

  // the ledger's final states say what PaySys and Medusa show
  for (const attempt of ledger.values()) {
    const t = byPartnerTransId.get(attempt.partner_trans_id)
    const ids = { partnerTransId: attempt.partner_trans_id, cartId: attempt.cart_id }
    // form payments are checked against the form's own status (checkAttackers)
    if (!index.of(ids).length || attempt.by_form) {
      continue
    }
    const agrees =
      attempt.state === "reversed"
        ? !!t && new BigNumber(givenBack(t)).eq(t.amount)
        : attempt.state === "failed"
          ? !t || t.status < 0
          : attempt.state === "never_sent"
            ? !t
            : attempt.state === "captured"
              ? captured.some((p) => p.partner_trans_id === attempt.partner_trans_id)
              : true
    if (!agrees) {
      violation(
        ids,
        `the ledger says ${attempt.state}; PaySys shows ${t ? `status ${t.status}, ${t.refunded_total} refunded` : "no transaction"}`
      )
    }
  }

  // no payment sent twice for one attempt, and no reversal made twice: a reversal may be sent
  // again only after check_payment showed the first one had no effect (the issue's rule)
  const calls = ((await sandbox.get("/calls")).data.calls as SandboxCall[]).filter(
    (c) => c.seq > baseline.lastCallSeq && c.partner_trans_id
  )
  const counted = (call: SandboxCall) => call.method !== "paysys.cancel_payment" || call.outcome.startsWith("ok")
  for (const method of ["paysys.prepare_payment", "paysys.pay_by_id", "paysys.cancel_payment"]) {
    const sent = new Map<string, SandboxCall[]>()
    for (const call of calls.filter((c) => c.method === method && counted(c))) {
      sent.set(call.partner_trans_id!, [...(sent.get(call.partner_trans_id!) ?? []), call])
    }
    for (const [partnerTransId, list] of sent) {
      if (list.length > 1) {
        const sequence = calls
          .filter((c) => c.partner_trans_id === partnerTransId)
          .map((c) => `${c.method.replace("paysys.", "")}: ${c.outcome}`)
        violation(
          { partnerTransId },
          `${method} sent ${list.length} times for ${partnerTransId}; its calls in order: ${sequence.join(" | ")}`
        )
      }
    }
  }
  return violations
}

/** One message for people: every violation with its story's steps and the seed that replays it. */
export function reportViolations(violations: Violation[], index: StoryIndex, replay: string) {
  const lines = [`${violations.length} money invariant violation(s); replay with ${replay}`]
  const shown = new Set<number>()
  for (const v of violations) {
    lines.push(`- ${v.stories.length ? `story ${v.stories.join(", ")}` : "(no story)"}: ${v.text}`)
  }
  for (const v of violations) {
    for (const number of v.stories.filter((n) => !shown.has(n))) {
      shown.add(number)
      const story = index.stories.find((s) => s.number === number)!
      lines.push(`story ${number}:\n    ${story.steps.join("\n    ")}`)
    }
  }
  return lines.join("\n")
}
