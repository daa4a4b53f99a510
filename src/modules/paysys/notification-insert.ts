import type { Knex } from "knex"
import { notificationId } from "./notification-id"

export type NewNotification = {
  /** set when the notification was handled on receipt */
  outcome?: string | null
  processed_at?: Date | null
  kind: "payment_status" | "card_registration"
  dedupe_key: string
  partner_trans_id?: string | null
  transaction_id?: string | null
  card_id?: string | null
  reported_status: string
  amount?: string | null
  currency?: string | null
  card_masked?: string | null
  error_code?: number | null
  error_message?: string | null
  paysys_date?: string | null
}

export type RecordedNotification = { id: string; duplicate: boolean; processed: boolean }

const NOTIFICATION_COLUMNS = [
  "kind",
  "outcome",
  "processed_at",
  "dedupe_key",
  "partner_trans_id",
  "transaction_id",
  "card_id",
  "reported_status",
  "amount",
  "currency",
  "card_masked",
  "error_code",
  "error_message",
  "paysys_date",
] as const satisfies readonly (keyof NewNotification)[]

/** Each column's type, for the arrays the INSERT takes */
const NOTIFICATION_COLUMN_TYPES: Record<(typeof NOTIFICATION_COLUMNS)[number], string> = {
  kind: "text",
  outcome: "text",
  processed_at: "timestamptz",
  dedupe_key: "text",
  partner_trans_id: "text",
  transaction_id: "text",
  card_id: "text",
  reported_status: "text",
  amount: "text",
  currency: "text",
  card_masked: "text",
  error_code: "integer",
  error_message: "text",
  paysys_date: "text",
}

/**
 * One statement text for any number of rows (one array per column), so that it can be prepared
 * once per connection under this name: PostgreSQL then parses and plans it once, where a VALUES
 * list as long as the batch was a new statement every time (a third of its time, under a burst).
 */
const INSERT_NOTIFICATIONS = {
  name: "paysys_insert_notifications",
  text: `insert into paysys_notification (id, ${NOTIFICATION_COLUMNS.join(", ")}, deliveries)
    select * from unnest($1::text[], ${NOTIFICATION_COLUMNS.map((column, i) => `$${i + 2}::${NOTIFICATION_COLUMN_TYPES[column]}[]`).join(", ")}, $${NOTIFICATION_COLUMNS.length + 2}::integer[])
    on conflict (dedupe_key) where deleted_at is null
    do update set deliveries = paysys_notification.deliveries + excluded.deliveries, updated_at = now()
    returning id, dedupe_key, deliveries, processed_at`,
}

/**
 * What PostgreSQL answers when a connection pooler in transaction mode (PgBouncer before 1.21)
 * gave the statement another server connection than the one it was prepared on: 26000, no such
 * prepared statement; 42P05, one of that name exists already. Either way nothing was written.
 */
const PREPARED_STATEMENT_LOST = new Set(["26000", "42P05"])

type Row = { id: string; dedupe_key: string; deliveries: number; processed_at: Date | null }

/**
 * Records notifications, one row per distinct notification, in one statement through the
 * module's connection (MikroORM's execute would write every value into the SQL text first).
 * Prepared once per connection, unless the database loses prepared statements: then plain
 * statements, for the rest of the process.
 */
export class NotificationInsert {
  private prepared = true

  constructor(private readonly db: Knex) {}

  async run(inputs: NewNotification[]): Promise<RecordedNotification[]> {
    // one row per notification: one statement may not update a row twice
    const sent = new Map<string, { input: NewNotification; deliveries: number }>()
    for (const input of inputs) {
      const same = sent.get(input.dedupe_key)
      if (same) same.deliveries++
      else sent.set(input.dedupe_key, { input, deliveries: 1 })
    }
    const distinct = [...sent.values()]
    const rows = await this.write([
      distinct.map(() => notificationId()),
      ...NOTIFICATION_COLUMNS.map((column) => distinct.map(({ input }) => input[column] ?? null)),
      distinct.map(({ deliveries }) => deliveries),
    ])
    const rowOf = new Map(rows.map((row) => [row.dedupe_key, row]))
    const answered = new Map<string, number>()
    return inputs.map(({ dedupe_key }) => {
      const row = rowOf.get(dedupe_key)!
      const earlierInBatch = answered.get(dedupe_key) ?? 0
      answered.set(dedupe_key, earlierInBatch + 1)
      const deliveredBefore = row.deliveries - sent.get(dedupe_key)!.deliveries + earlierInBatch
      return { id: row.id, duplicate: deliveredBefore > 0, processed: row.processed_at !== null }
    })
  }

  private async write(values: unknown[][]): Promise<Row[]> {
    const client = this.db.client as Knex.Client
    const connection = await client.acquireConnection()
    try {
      if (this.prepared) {
        try {
          return (await connection.query({ ...INSERT_NOTIFICATIONS, values })).rows
        } catch (error) {
          if (!PREPARED_STATEMENT_LOST.has((error as { code?: string })?.code ?? "")) {
            throw error
          }
          this.prepared = false
        }
      }
      return (await connection.query(INSERT_NOTIFICATIONS.text, values)).rows
    } finally {
      await client.releaseConnection(connection)
    }
  }
}
