import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * The counters of the card-testing limits in a store without Redis (rate-limiter-flexible's
 * RateLimiterPostgres table, not a model): created here so that the app needs no DDL at run time.
 */
export class Migration20261207090000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table if not exists "paysys_rate_limit" ("key" varchar(255) primary key, "points" integer not null default 0, "expire" bigint);`);
    this.addSql(`create index if not exists "IDX_paysys_rate_limit_expire" on "paysys_rate_limit" ("expire");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "paysys_rate_limit";`);
  }

}
