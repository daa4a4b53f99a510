import type { Knex } from "knex"
import { generateEntityId } from "@medusajs/framework/utils"
import { CANCEL_CONTRADICTED_EVENT } from "./ledger-types"

/** Why an item waits for the merchant; each has one action that takes it off the list. */
export type NeedsYouKind =
  /** paid through the hosted form, no order can use it, and the form has no refund call */
  | "form_refund_in_cabinet"
  /** a card payment no order uses, whose reversal and refund PaySys kept refusing up to the horizon */
  | "reversal_refused"
  /** an attempt PaySys still had unsettled at the horizon: the plugin no longer asks */
  | "unsettled_at_horizon"
  /** PaySys reports a refund of an order's payment that Medusa did not make (the cabinet) */
  | "refund_unexplained"
  /** a refund sent whose answer was lost and that PaySys's status cannot tell */
  | "refund_in_doubt"
  /** a PaySys notification whose processing failed notificationMaxAttempts times */
  | "notification_parked"
  /** a form's Cancel or Notify 3 that PaySys's status API contradicted: forged, or PaySys's status is wrong */
  | "cancel_contradicted"

export type NeedsYouAction =
  | "record_refunded_in_cabinet"
  | "record_refund_made_at_paysys"
  | "settle_refund_in_doubt"
  | "retry_notification"
  | "acknowledge_contradiction"

export const NEEDS_YOU_ACTIONS: Record<NeedsYouKind, NeedsYouAction> = {
  form_refund_in_cabinet: "record_refunded_in_cabinet",
  reversal_refused: "record_refunded_in_cabinet",
  unsettled_at_horizon: "record_refunded_in_cabinet",
  refund_unexplained: "record_refund_made_at_paysys",
  refund_in_doubt: "settle_refund_in_doubt",
  notification_parked: "retry_notification",
  cancel_contradicted: "acknowledge_contradiction",
}

/** One row of the list, as read: amounts in minor units. */
export type NeedsYouRow = {
  /** `<record>:<id>:<why>`: what alerts are keyed by */
  key: string
  kind: NeedsYouKind
  partner_trans_id: string | null
  method: "card" | "saved_card" | "form" | null
  order_id: string | null
  amount: string | null
  currency: string | null
  card_masked: string | null
  paid_at: Date | null
  /** when it started waiting */
  since: Date
  reason: string | null
  refund_id: string | null
  notification_id: string | null
}

type RawRow = Omit<NeedsYouRow, "kind"> & {
  source: "attempt" | "refund" | "notification" | "contradiction"
  id: string
  state: string | null
  outcome: string | null
}

/**
 * Everything the plugin cannot settle alone, with an order or without: attempts parked for the
 * merchant (or with a refund PaySys made that no one recorded), refunds in doubt, parked
 * notifications, cancellations PaySys's status contradicted (the latest one's detail as the reason).
 * One query, each part through a partial index of its model.
 */
const ITEMS_SQL = `
  select 'attempt' as source, a.id, 'attempt:' || a.id || ':' || coalesce(a.outcome, '') as key, a.partner_trans_id, a.kind as method, a.state, a.outcome,
         coalesce(a.last_error, a.outcome) as reason, a.amount, a.currency, a.bank->>'card_masked' as card_masked,
         a.paid_at, a.updated_at as since, null as refund_id, null as notification_id, a.payment_collection_id
    from paysys_attempt a
   where a.deleted_at is null and (a.state = 'attention' or a.outcome = 'refund_unexplained')
  union all
  select 'refund', r.id, 'refund:' || r.id, r.partner_trans_id, a.kind, a.state, a.outcome,
         r.error->>'message', r.amount, r.currency, a.bank->>'card_masked',
         a.paid_at, r.updated_at, r.id, null, a.payment_collection_id
    from paysys_refund r join paysys_attempt a on a.id = r.attempt_id
   where r.deleted_at is null and r.state = 'unknown'
  union all
  select 'notification', n.id, 'notification:' || n.id || ':' || extract(epoch from n.parked_at)::bigint, n.partner_trans_id, a.kind, a.state, a.outcome,
         n.last_error, coalesce(a.amount, n.amount), coalesce(a.currency, n.currency), coalesce(a.bank->>'card_masked', n.card_masked),
         a.paid_at, n.parked_at, null, n.id, a.payment_collection_id
    from paysys_notification n left join paysys_attempt a on a.partner_trans_id = n.partner_trans_id and a.deleted_at is null
   where n.deleted_at is null and n.parked_at is not null and n.processed_at is null
  union all
  select 'contradiction', a.id, 'contradiction:' || a.id || ':' || (extract(epoch from a.contradicted_at) * 1000)::bigint,
         a.partner_trans_id, a.kind, a.state, a.outcome,
         (select e->>'detail' from jsonb_array_elements(a.history) with ordinality h(e, n)
           where e->>'event' = '${CANCEL_CONTRADICTED_EVENT}' order by h.n desc limit 1),
         a.amount, a.currency, a.bank->>'card_masked', a.paid_at, a.contradicted_at, null, null, a.payment_collection_id
    from paysys_attempt a
   where a.deleted_at is null and a.contradicted_at is not null`

/**
 * The merchant's "Needs you" list and the alerts sent about it (`paysys_alert`, one per item).
 * Items leave the list only through their action (the ledger's state changes).
 */
export class NeedsYou {
  constructor(private readonly db: Knex) {}

  async list({ limit, offset }: { limit: number; offset: number }): Promise<{ items: NeedsYouRow[]; count: number }> {
    const [{ rows }, { rows: counted }] = await Promise.all([
      this.db.raw(
        `select i.*, opc.order_id from (${ITEMS_SQL}) i
           left join order_payment_collection opc on opc.payment_collection_id = i.payment_collection_id and opc.deleted_at is null
          order by i.since desc, i.id limit ? offset ?`,
        [limit, offset]
      ),
      this.db.raw(`select count(*)::int as count from (${ITEMS_SQL}) i`),
    ])
    return { items: (rows as RawRow[]).map(toItem), count: counted[0].count }
  }

  /** Items no alert was sent about yet, oldest first, at most `limit`. */
  async listUnalerted(limit: number): Promise<NeedsYouRow[]> {
    const { rows } = await this.db.raw(
      `select i.*, opc.order_id from (${ITEMS_SQL}) i
         left join order_payment_collection opc on opc.payment_collection_id = i.payment_collection_id and opc.deleted_at is null
        where not exists (select 1 from paysys_alert al where al.item_key = i.key and al.deleted_at is null)
        order by i.since asc limit ?`,
      [limit]
    )
    return (rows as RawRow[]).map(toItem)
  }

  /** Takes the alert about an item, once for all servers: false when it was taken already. */
  async claimAlert(item: NeedsYouRow): Promise<boolean> {
    const inserted = await this.db("paysys_alert")
      .insert({ id: generateEntityId(undefined, "psalert"), item_key: item.key, kind: item.kind })
      .onConflict(this.db.raw(`(item_key) where deleted_at is null`))
      .ignore()
      .returning("id")
    return inserted.length === 1
  }

  async markAlertSent(item: NeedsYouRow): Promise<void> {
    await this.db("paysys_alert")
      .where({ item_key: item.key })
      .whereNull("deleted_at")
      .update({ sent_at: new Date(), updated_at: new Date() })
  }

  /** Gives a claimed alert back when it could not be sent: the next run tries again. */
  async releaseAlert(item: NeedsYouRow): Promise<void> {
    await this.db("paysys_alert").where({ item_key: item.key }).whereNull("sent_at").delete()
  }

  /** The channels the store's Notification Module has an enabled provider for (feed, email...). */
  async notificationChannels(): Promise<string[]> {
    const rows: { channels: string[] }[] = await this.db("notification_provider")
      .where({ is_enabled: true })
      .whereNull("deleted_at")
      .select("channels")
    return [...new Set(rows.flatMap((row) => row.channels ?? []))]
  }

  /**
   * Sends a parked notification back to processing, as if new (its failures forgotten), and
   * records who did it. False when it is not parked (processed or retried meanwhile).
   */
  async unparkNotification(id: string, actorId: string | null): Promise<{ partner_trans_id: string | null } | null> {
    const [row] = await this.db("paysys_notification")
      .where({ id })
      .whereNull("deleted_at")
      .whereNotNull("parked_at")
      .whereNull("processed_at")
      .update({
        parked_at: null,
        attempts: 0,
        next_attempt_at: new Date(),
        retried_by: actorId,
        retried_at: new Date(),
        updated_at: new Date(),
      })
      .returning("partner_trans_id")
    return row ?? null
  }
}

function toItem(row: RawRow): NeedsYouRow {
  // an attempt's key names its outcome, a notification's when it was parked, a contradiction's when it came: again, it is a new item
  const { source, id, state, outcome, ...rest } = row as RawRow & { payment_collection_id?: string }
  delete (rest as { payment_collection_id?: string }).payment_collection_id
  return { ...rest, kind: kindOf(source, state, outcome, row.method) }
}

/** Why an item waits, from the record it comes from. */
export function kindOf(
  source: RawRow["source"],
  state: string | null,
  outcome: string | null,
  method: RawRow["method"]
): NeedsYouKind {
  if (source === "refund") {
    return "refund_in_doubt"
  }
  if (source === "notification") {
    return "notification_parked"
  }
  if (source === "contradiction") {
    return "cancel_contradicted"
  }
  if (state !== "attention" && outcome === "refund_unexplained") {
    return "refund_unexplained"
  }
  if (outcome === "still_open_at_horizon") {
    return "unsettled_at_horizon"
  }
  return method === "form" ? "form_refund_in_cabinet" : "reversal_refused"
}
