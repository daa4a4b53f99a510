import type { Knex } from "knex"
import { generateEntityId } from "@medusajs/framework/utils"

/** Signatures deleted per statement when old ones are purged, and statements per purge at most. */
const PURGE_BATCH = 1000
const PURGE_MAX_BATCHES = 10

/** How long past twice the SIGN_TIME window a signature is kept: room for clocks that drift. */
const KEPT_BEYOND_WINDOW_MS = 60 * 60_000

/**
 * How long an accepted signature must be kept, or null: for ever. A callback is accepted while
 * its SIGN_TIME is within `signTimeMaxSkewMs` of now, and its SIGN_TIME was within that of the
 * moment it was first accepted, so past twice the window the freshness check refuses any replay
 * before its signature is looked up. Without the check (null) only the row refuses a replay.
 */
export function signatureKeptMs(signTimeMaxSkewMs: number | null): number | null {
  return signTimeMaxSkewMs === null ? null : 2 * signTimeMaxSkewMs + KEPT_BEYOND_WINDOW_MS
}

/** How a callback's signature stands: new, the same call again (PaySys repeats calls), or met before on another call. */
export type SignatureUse = "first" | "repeat" | "reused"

/**
 * The hosted form's accepted signatures (`paysys_form_signature`): each one belongs to the first
 * call it was accepted with, its callback and signed fields (see the model). One statement per
 * call; concurrent deliveries of one call both see it as theirs.
 */
export class FormSignatures {
  constructor(private readonly db: Knex) {}

  async use(callback: string, signString: string, fields: Record<string, string>): Promise<SignatureUse> {
    const sign = signString.toLowerCase()
    const { rows }: { rows: { callback: string; fields: Record<string, string>; inserted: boolean }[] } =
      await this.db.raw(
        `with inserted as (
         insert into paysys_form_signature (id, callback, sign_string, fields) values (?, ?, ?, ?::jsonb)
         on conflict (sign_string) where deleted_at is null do nothing
         returning callback, fields
       )
       select callback, fields, true as inserted from inserted
       union all
       select callback, fields, false as inserted from paysys_form_signature where sign_string = ? and deleted_at is null`,
        [generateEntityId(undefined, "psfsig"), callback, sign, JSON.stringify(fields), sign]
      )
    // none: another server inserted it after this statement began; its row is committed now
    const row =
      rows[0] ??
      (await this.db("paysys_form_signature")
        .where({ sign_string: sign })
        .whereNull("deleted_at")
        .first("callback", "fields"))
    if (!row || row.inserted) {
      return "first"
    }
    return row.callback === callback && sameFields(row.fields, fields) ? "repeat" : "reused"
  }

  /**
   * Deletes signatures accepted before `acceptedBefore`, a bounded batch per statement and a few
   * batches per call (the rest goes at the next), so the table holds only what can still be
   * replayed. Answers how many went.
   */
  async purge(acceptedBefore: Date): Promise<number> {
    let purged = 0
    for (let batch = 0; batch < PURGE_MAX_BATCHES; batch++) {
      const { rowCount }: { rowCount: number } = await this.db.raw(
        `delete from paysys_form_signature where id in (select id from paysys_form_signature where created_at < ? limit ?)`,
        [acceptedBefore, PURGE_BATCH]
      )
      purged += rowCount
      if (rowCount < PURGE_BATCH) {
        break
      }
    }
    return purged
  }
}

function sameFields(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(b)
  return Object.keys(a).length === keys.length && keys.every((key) => a[key] === b[key])
}
