import { Migration } from "@medusajs/framework/mikro-orm/migrations"

export class Migration20261207100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table if exists "paysys_attempt" add column if not exists "contradicted_at" timestamptz null;`)
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_paysys_attempt_cancel_contradicted" ON "paysys_attempt" ("contradicted_at") WHERE contradicted_at IS NOT NULL AND deleted_at IS NULL;`
    )
    // contradictions recorded before the column: the merchant has not checked them yet
    this.addSql(
      `update "paysys_attempt" set "contradicted_at" = "updated_at" where "history" @> '[{"event": "Cancel refused: PaySys says paid"}]'::jsonb;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_paysys_attempt_cancel_contradicted";`)
    this.addSql(`alter table if exists "paysys_attempt" drop column if exists "contradicted_at";`)
  }
}
