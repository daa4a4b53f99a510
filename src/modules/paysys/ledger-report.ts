import type { Knex } from "knex"

export type LedgerReportFilters = {
  /** days in the report's time zone, inclusive: YYYY-MM-DD */
  from?: string
  to?: string
  /** an attempt's state for payments, a refund's for refunds */
  state?: string
  /** card: host-to-host and saved cards; form: the hosted form */
  method?: "card" | "form"
  currency?: string
  type?: "payment" | "refund"
}

/** One line of the books: a payment attempt, or a refund or reversal of one. Amounts in minor units. */
export type LedgerReportRow = {
  type: "payment" | "refund"
  id: string
  method: "card" | "saved_card" | "form"
  state: string
  /** refunds: refund (refund_payment) or cancel (a reversal) */
  refund_kind: "refund" | "cancel" | null
  /** ours: partner_trans_id for cards, MERCHANT_TRANS_ID for the form (the same value) */
  partner_trans_id: string
  /** PaySys's: transaction_id for cards, AGR_TRANS_ID for the form */
  transaction_id: string | null
  amount: string
  currency: string
  paysys_status: number | null
  rrn: string | null
  card_masked: string | null
  at: Date
  order_id: string | null
}

export type LedgerReportTotal = {
  day: string
  type: "payment" | "refund"
  currency: string
  count: number
  amount: string
}

/**
 * The ledger as an accountant reads it beside PaySys's cabinet: payments and refunds, filtered by
 * day (their creation, in `timeZone`, as PaySys's cabinet counts days; an index on each table's
 * created_at), state, method and currency, each with its order; totals per day summed exactly
 * (numeric) by PostgreSQL.
 */
export class LedgerReport {
  constructor(
    private readonly db: Knex,
    /** the days' time zone (the option reportTimeZone) */
    readonly timeZone: string
  ) {}

  async list(filters: LedgerReportFilters, { limit, offset }: { limit: number; offset: number }) {
    const [rows, [{ count }]] = await Promise.all([
      this.withOrders(filters)
        .orderBy([{ column: "e.at", order: "desc" }, { column: "e.id" }])
        .limit(limit)
        .offset(offset),
      this.db.from(this.entries(filters).as("e")).count({ count: "*" }),
    ])
    return { rows: rows as LedgerReportRow[], count: Number(count) }
  }

  /** Every row of the filter, oldest first, `batch` at a time (the CSV export). */
  async *each(filters: LedgerReportFilters, batch = 1000): AsyncGenerator<LedgerReportRow[]> {
    for (let offset = 0; ; offset += batch) {
      const rows = (await this.withOrders(filters)
        .orderBy([{ column: "e.at" }, { column: "e.id" }])
        .limit(batch)
        .offset(offset)) as LedgerReportRow[]
      if (rows.length) {
        yield rows
      }
      if (rows.length < batch) {
        return
      }
    }
  }

  async totals(filters: LedgerReportFilters): Promise<LedgerReportTotal[]> {
    const rows = await this.db
      .from(this.entries(filters).as("e"))
      .select(
        this.db.raw(`to_char(e.at at time zone ?, 'YYYY-MM-DD') as day`, [this.timeZone]),
        "e.type",
        "e.currency",
        this.db.raw(`count(*)::int as count`),
        this.db.raw(`sum(e.amount::numeric)::text as amount`)
      )
      .groupByRaw(`1, 2, 3`)
      .orderByRaw(`1 desc, 2, 3`)
    return rows as LedgerReportTotal[]
  }

  private withOrders(filters: LedgerReportFilters) {
    return this.db
      .from(this.entries(filters).as("e"))
      .leftJoin("order_payment_collection as opc", (join) =>
        join.on("opc.payment_collection_id", "e.payment_collection_id").andOnNull("opc.deleted_at")
      )
      .select("e.*", "opc.order_id")
  }

  private entries(filters: LedgerReportFilters): Knex.QueryBuilder {
    const payments = this.db("paysys_attempt as a")
      .whereNull("a.deleted_at")
      .select(
        this.db.raw(`'payment' as type`),
        "a.id",
        "a.kind as method",
        "a.state",
        this.db.raw(`null as refund_kind`),
        "a.partner_trans_id",
        this.db.raw(`case when a.kind = 'form' then a.agr_trans_id else a.transaction_id end as transaction_id`),
        "a.amount",
        "a.currency",
        "a.paysys_status",
        this.db.raw(`a.bank->>'rrn' as rrn`),
        this.db.raw(`a.bank->>'card_masked' as card_masked`),
        "a.created_at as at",
        "a.payment_collection_id"
      )
    const refunds = this.db("paysys_refund as r")
      .join("paysys_attempt as a", "a.id", "r.attempt_id")
      .whereNull("r.deleted_at")
      .select(
        this.db.raw(`'refund' as type`),
        "r.id",
        "a.kind as method",
        "r.state",
        "r.kind as refund_kind",
        "r.partner_trans_id",
        this.db.raw(`case when a.kind = 'form' then a.agr_trans_id else a.transaction_id end as transaction_id`),
        "r.amount",
        "r.currency",
        this.db.raw(`null::integer as paysys_status`),
        this.db.raw(`a.bank->>'rrn' as rrn`),
        this.db.raw(`a.bank->>'card_masked' as card_masked`),
        "r.created_at as at",
        "a.payment_collection_id"
      )
    const filter = (query: Knex.QueryBuilder, own: "a" | "r") => {
      if (filters.from) {
        query.where(
          `${own}.created_at`,
          ">=",
          this.db.raw(`(?::date::timestamp at time zone ?)`, [filters.from, this.timeZone])
        )
      }
      if (filters.to) {
        query.where(
          `${own}.created_at`,
          "<",
          this.db.raw(`((?::date + 1)::timestamp at time zone ?)`, [filters.to, this.timeZone])
        )
      }
      if (filters.state) {
        query.where(`${own}.state`, filters.state)
      }
      if (filters.currency) {
        query.where(`${own}.currency`, filters.currency)
      }
      if (filters.method) {
        query.whereIn("a.kind", filters.method === "form" ? ["form"] : ["card", "saved_card"])
      }
      return query
    }
    if (filters.type === "payment") {
      return filter(payments, "a")
    }
    if (filters.type === "refund") {
      return filter(refunds, "r")
    }
    return filter(payments, "a").unionAll(filter(refunds, "r"), true)
  }
}
