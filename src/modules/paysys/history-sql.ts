import type { Knex } from "knex"
import type { HistoryEntry } from "./ledger-types"

/** SQL appending entries to an attempt's history (a JSON array), in the UPDATE that changes it. */
export function appendHistory(db: Knex, ...entries: HistoryEntry[]): Knex.Raw {
  return db.raw(`coalesce(history, '[]'::jsonb) || ?::jsonb`, [JSON.stringify(entries)])
}
