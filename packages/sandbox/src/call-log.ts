import { redactCardNumbers } from "../../../src/paysys/card-data"

/**
 * Every gateway call, in order: method, what it was about, when, and how it went (benchmarks
 * count PaySys round trips with it). Never params: they may hold card data.
 */
export type CallRecord = {
  seq: number
  method: string
  partner_trans_id: string | null
  card_id: string | null
  at: string
  /** "ok: ...", "error -31003: ...", "fault timeout", "ok: ... + fault timeout (applyFirst)" */
  outcome: string
  error_code: number | null
  mx_id: string | null
  duration_ms: number | null
}

export class CallLog {
  private records: CallRecord[] = []
  private seq = 0

  start(method: string): CallRecord {
    const record: CallRecord = {
      seq: ++this.seq,
      method,
      partner_trans_id: null,
      card_id: null,
      at: new Date().toISOString(),
      outcome: "pending",
      error_code: null,
      mx_id: null,
      duration_ms: null,
    }
    this.records.push(record)
    return record
  }

  /** Records what the call was about; a card number put in the wrong field is masked. */
  about(record: CallRecord, ids: { partnerTransId?: unknown; cardId?: unknown }): void {
    if (typeof ids.partnerTransId === "string" && ids.partnerTransId) {
      record.partner_trans_id = redactCardNumbers(ids.partnerTransId).slice(0, 128)
    }
    if (typeof ids.cardId === "string" && ids.cardId) {
      record.card_id = redactCardNumbers(ids.cardId).slice(0, 128)
    }
  }

  list(): CallRecord[] {
    return this.records.map((r) => ({ ...r }))
  }

  counts(): Record<string, number> {
    const counts: Record<string, number> = {}
    for (const record of this.records) {
      counts[record.method] = (counts[record.method] ?? 0) + 1
    }
    return counts
  }

  reset(): void {
    this.records = []
  }
}
