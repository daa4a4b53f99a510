import { Migration } from "@medusajs/framework/mikro-orm/migrations"

export class Migration20261124222238 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_paysys_attempt_claimed" ON "paysys_attempt" ("payment_collection_id") WHERE claimed_at IS NOT NULL AND deleted_at IS NULL;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_paysys_attempt_claimed";`)
  }
}
