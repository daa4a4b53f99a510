import type { Knex } from "knex"
import { generateEntityId } from "@medusajs/framework/utils"

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
    const { rows }: { rows: { callback: string; fields: Record<string, string>; inserted: boolean }[] } = await this.db.raw(
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
    const row = rows[0] ?? (await this.db("paysys_form_signature").where({ sign_string: sign }).whereNull("deleted_at").first("callback", "fields"))
    if (!row || row.inserted) {
      return "first"
    }
    return row.callback === callback && sameFields(row.fields, fields) ? "repeat" : "reused"
  }
}

function sameFields(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(b)
  return Object.keys(a).length === keys.length && keys.every((key) => a[key] === b[key])
}
