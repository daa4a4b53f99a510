import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * The table rate-limiter-flexible keeps shared counts in when the store has no Redis
 * (src/modules/paysys/limiter-store.ts: the background budget and the card limits): the
 * library's own shape (its inserts name no columns), so it is no model of the module; written
 * by hand, not generated.
 */
export class Migration20261207084500 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `CREATE TABLE IF NOT EXISTS "paysys_rate_limit" ("key" varchar(255) PRIMARY KEY, "points" integer NOT NULL DEFAULT 0, "expire" bigint);`
    )
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_paysys_rate_limit_expire" ON "paysys_rate_limit" ("expire");`)
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "paysys_rate_limit";`)
  }
}
