import { shippingAddressDigest } from "../../src/modules/paysys/saved-card-binding"
import { formPartnerTransId, PAYSYS_REASONS, STRANGER_ADDRESS, StoryLimits } from "./attackers"
import { sandboxControl } from "./checkout"
import { SandboxBaseline, StoryIndex, Violation } from "./money-invariant"

type SandboxCall = { seq: number; method: string; partner_trans_id: string | null }

const sessionOf = (partnerTransId: string) => partnerTransId.replace(/-\d+$/, "")

/**
 * What the attackers must have met, besides the money invariant: card testers refused with 429
 * past the limits and PaySys called no more than the limits allow; no honest shopper refused;
 * no PaySys reason in any store answer; no saved card charged for a stranger, no order shipped
 * to one paid with a saved card unless its owner confirmed it there; no notification with guessed
 * credentials taken. `notes`: what the plugin does not promise to stop: an order paid by the
 * shopper's own card and 3-D Secure, or by a saved card its owner chose again after the address
 * changed, shipped where a holder of the cart id sent it (the cart id is Medusa's bearer token).
 */
export async function checkAttackers(db: any, baseline: SandboxBaseline, index: StoryIndex, limits: StoryLimits) {
  const violations: Violation[] = []
  const notes: string[] = []
  const calls = ((await sandboxControl().get("/calls")).data.calls as SandboxCall[]).filter(
    (c) => c.seq > baseline.lastCallSeq && c.partner_trans_id
  )
  const callsOf = (method: string, sessions: string[]) =>
    calls.filter((c) => c.method === method && sessions.includes(sessionOf(c.partner_trans_id!)))

  for (const story of index.stories) {
    const violation = (text: string) => violations.push({ stories: [story.number], text })
    for (const answer of story.answers) {
      if (!answer.what.startsWith("notification") && PAYSYS_REASONS.test(JSON.stringify(answer.data))) {
        violation(
          `the ${answer.by}'s ${answer.what} was told PaySys's reason: ${answer.status} ${JSON.stringify(answer.data)}`
        )
      }
      // the form's merchant API answers HTTP 200 with its own ERROR code
      const formError = (answer.data as { ERROR?: number } | null)?.ERROR
      if (answer.by === "forger" && answer.status < 400 && !(formError !== undefined && formError < 0)) {
        violation(`a ${answer.what} was answered ${answer.status} ${JSON.stringify(answer.data)}`)
      }
      if (
        answer.by === "shopper" &&
        answer.status === 429 &&
        (answer.data as { type?: string })?.type === "too_many_attempts"
      ) {
        violation(`the honest shopper at ${story.address} was refused: ${answer.what} ${JSON.stringify(answer.data)}`)
      }
    }
    if (story.kind === "card tester") {
      const posts = story.answers.filter((a) => a.by === "tester")
      const refused = posts.filter((a) => a.status === 429)
      if (refused.length < posts.length - limits.paymentsPerIp) {
        violation(
          `the card tester posted ${posts.length} cards and was refused only ${refused.length} times (limit ${limits.paymentsPerIp} per address)`
        )
      }
      for (const answer of refused.filter(
        (a) => (a.data as { type?: string })?.type !== "too_many_attempts" || !(Number(a.retryAfter) > 0)
      )) {
        violation(
          `the card tester's 429 is not too_many_attempts with Retry-After: ${answer.retryAfter} ${JSON.stringify(answer.data)}`
        )
      }
      const prepared = callsOf("paysys.prepare_payment", story.sessions)
      if (prepared.length > limits.paymentsPerIp) {
        violation(
          `PaySys heard ${prepared.length} prepare_payment from one card tester (limit ${limits.paymentsPerIp} per address)`
        )
      }
      for (const session of story.sessions) {
        const onSession = prepared.filter((c) => sessionOf(c.partner_trans_id!) === session).length
        if (onSession > limits.paymentsPerSession) {
          violation(
            `PaySys heard ${onSession} prepare_payment on the card tester's session ${session} (limit ${limits.paymentsPerSession})`
          )
        }
      }
    }
    if (story.kind === "form shopper" && story.sessions.length) {
      violations.push(...(await formPaymentBooked(db, story.number, formPartnerTransId(story), story.carts[0])))
    }
    for (const call of callsOf("paysys.pay_by_id", story.strangerSessions)) {
      violation(`pay_by_id sent for a stranger's session: ${call.partner_trans_id}`)
    }
  }

  // how each order shipping to the stranger was paid: its captured payment's attempt and, for a
  // saved card, the address the signed-in owner confirmed the session for
  const { rows: shipped } = await db.raw(
    `select o.id, oc.cart_id, to_jsonb(a) as address, paid.kind as paid_by, paid.confirmed_digest
       from "order" o
       join order_address a on a.id = o.shipping_address_id
       left join order_cart oc on oc.order_id = o.id and oc.deleted_at is null
       left join lateral (
         select pa.kind, b.shipping_address_digest as confirmed_digest from payment p
           join cart_payment_collection cpc on cpc.payment_collection_id = p.payment_collection_id and cpc.deleted_at is null
           join paysys_attempt pa on pa.partner_trans_id = p.data->>'partner_trans_id'
           left join paysys_saved_card_session b on b.session_id = p.payment_session_id and b.deleted_at is null
          where cpc.cart_id = oc.cart_id and p.captured_at is not null and p.deleted_at is null limit 1) paid on true
      where a.address_1 = ? and o.deleted_at is null`,
    [STRANGER_ADDRESS.address_1]
  )
  type Shipped = {
    id: string
    cart_id: string | null
    address: Record<string, string | null>
    paid_by: string | null
    confirmed_digest: string | null
  }
  for (const order of shipped as Shipped[]) {
    const stories = index.of({ cartId: order.cart_id })
    const text = `order ${order.id} (cart ${order.cart_id}, paid by ${order.paid_by ?? "nothing captured"}) ships to the stranger's address`
    if (order.paid_by === "card") {
      notes.push(`story ${stories.join(", ")}: ${text}`)
    } else if (order.paid_by === "saved_card" && order.confirmed_digest === shippingAddressDigest(order.address)) {
      notes.push(
        `story ${stories.join(", ")}: ${text}, which the card's owner confirmed on a new session after the stranger set it`
      )
    } else {
      violations.push({ stories, text })
    }
  }
  return { violations, notes }
}

/** A form payment PaySys holds as paid is its cart's order, captured, nothing given back; else no order. */
async function formPaymentBooked(db: any, story: number, partnerTransId: string, cartId: string): Promise<Violation[]> {
  const { data } = await sandboxControl().get(`/form/payments?merchant_trans_id=${encodeURIComponent(partnerTransId)}`)
  const status = data.payments[0]?.status ?? "none"
  const attempt = (await db.raw(`select state from paysys_attempt where partner_trans_id = ?`, [partnerTransId]))
    .rows[0]
  const refunds = (
    await db.raw(`select kind, state, amount::text from paysys_refund where partner_trans_id = ?`, [partnerTransId])
  ).rows
  const orders = (await db.raw(`select order_id from order_cart where cart_id = ? and deleted_at is null`, [cartId]))
    .rows
  const booked = attempt?.state === "captured" && orders.length === 1 && !refunds.length
  const ok = status === "paid" ? booked : !orders.length
  return ok
    ? []
    : [
        {
          stories: [story],
          text: `form payment ${partnerTransId}: PaySys shows ${status}, the ledger ${attempt?.state}, ${orders.length} order(s), refunds ${JSON.stringify(refunds)}`,
        },
      ]
}
