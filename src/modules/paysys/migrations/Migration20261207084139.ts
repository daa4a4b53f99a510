import { Migration } from "@medusajs/framework/mikro-orm/migrations"

export class Migration20261207084139 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_paysys_attempt_due_holding_money" ON "paysys_attempt" ("next_check_at") WHERE next_check_at IS NOT NULL AND state NOT IN ('sending', 'open') AND deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_paysys_attempt_due_first_look" ON "paysys_attempt" ("next_check_at") WHERE next_check_at IS NOT NULL AND state IN ('sending', 'open') AND checks = 0 AND deleted_at IS NULL;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_paysys_attempt_due_holding_money";`)
    this.addSql(`drop index if exists "IDX_paysys_attempt_due_first_look";`)
  }
}
